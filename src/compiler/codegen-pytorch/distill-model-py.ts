// model.py's classes for a `distill` block with a sequential student: the student network (the
// SASRec module of model-py.ts under `<Name>Network`) and `<Name>Model`, which adds the loss of
// the TypeScript target's DistillModel (runtime/distill/distill-model.ts, losses/kd.ts):
//   L = (1−α)·CE_ε(y, q) + α·τ²·KL(T(p^t_τ) ‖ q_τ) at every position the student trains,
// p^t_τ the teacher's softmax of z_t/τ with the padding column masked (−1e9), T the teacher
// transform as runtime/distill/transforms.ts computes it, q_τ = softmax(z_s/τ). The teacher is
// attached outside the module tree (not trained, saved or synced by DDP) and runs in eval mode
// without gradients; eval mode gives the student's plain held-out loss. Also the module-level
// transform and KL functions the classes call. Takes the distill plan; gives the text.
import type { TeacherTransformOption } from "../../ir/attributes.generated.js";
import { sequentialModule } from "./model-py.js";
import type { PyDistill, PyPlan } from "./plan.js";
import { pyComment, pyNumber, pyString } from "./python.js";

/** The transform as the spec writes it: `topk(k: 10)`. */
function transformText(t: TeacherTransformOption): string {
  if (t.type === "label_smoothing") return `label_smoothing(epsilon: ${t.epsilon})`;
  if (t.type === "sim") return `sim(rho: ${t.rho})`;
  if (t.type === "topk") return `topk(k: ${t.k})`;
  return t.type;
}

/** The body of teacher_target for the transform: the target distribution [P, N + 1]. */
function targetBody(t: TeacherTransformOption): string {
  switch (t.type) {
    case "full":
      return "return self.teacher_probabilities(histories, rows)";
    case "label_smoothing":
      return `return label_smoothing_target(following, self.num_items + 1, ${pyNumber(t.epsilon)})`;
    case "pt":
      return "return pt_target(self.teacher_probabilities(histories, rows), following)";
    case "sim":
      return `return sim_target(self.teacher.item_embedding.weight, following, ${pyNumber(t.rho)})`;
    case "topk":
      return `return topk_target(self.teacher_probabilities(histories, rows), ${t.k})`;
  }
}

export function distillModules(m: PyDistill): string {
  const e = m.student.embedding;
  const a = m.alpha;
  const tau = m.temperature;
  const smoothing = m.student.labelSmoothing;
  const loss = a === 1 ? "soft * (self.alpha * self.temperature**2)" : "hard * (1 - self.alpha) + soft * (self.alpha * self.temperature**2)";
  return `${sequentialModule(m.student)}

class ${m.cls}(${m.student.cls}):
    """\`distill ${pyComment(m.name)} = distill(...)\`: ${m.student.cls} distilled from \`${pyComment(m.teacher)}\`.

    Trains on (1 - a) * CE(y, q) + a * t^2 * KL(T(p_t) || q_t) at ${m.student.positions === "all" ? "every position" : "the last position"},
    t = ${pyNumber(tau)}, a = ${pyNumber(a)}, T = ${pyComment(transformText(m.transform))} of the teacher's softmax. The teacher
    (${m.teacherCls}, trained before this model in the same run) is attached by attach_teacher.
    """

    teacher_name = ${pyString(m.teacher)}
    temperature = ${pyNumber(tau)}
    alpha = ${pyNumber(a)}

    def attach_teacher(self, teacher: nn.Module) -> None:
        """Sets the teacher outside the module tree: not trained, not saved, not synced by DDP."""
        teacher.eval().requires_grad_(False)
        object.__setattr__(self, "teacher", teacher)

    def attach_trained_teacher(self, run: Path, device: torch.device) -> None:
        """Attaches the teacher train.py trained and saved in the same run folder."""
        teacher = ${m.teacherCls}(self.num_items)
        saved = torch.load(run / self.teacher_name / "model.pt", map_location=device)
        teacher.load_state_dict(saved)
        self.attach_teacher(teacher.to(device))

    def teacher_probabilities(self, histories: torch.Tensor, rows: torch.Tensor) -> torch.Tensor:
        """The teacher's softmax at t over the items [P, N + 1] at the flat rows b * L + t."""
        # The same histories, so the same L used columns as the student's.
        hidden, _ = self.teacher.encode(histories)  # [B, L, E_t]
        h = hidden.reshape(-1, hidden.shape[-1])[rows]  # [P, E_t]
        logits = h @ self.teacher.item_embedding.weight.T  # [P, N + 1]
        return item_softmax(logits * (1 / self.temperature))

    def teacher_target(
        self, histories: torch.Tensor, rows: torch.Tensor, following: torch.Tensor
    ) -> torch.Tensor:
        """T(p_t) [P, N + 1]: what the student is distilled towards (${pyComment(transformText(m.transform))})."""
        ${targetBody(m.transform)}

    def forward(
        self, histories: torch.Tensor, targets: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Summed distillation loss and the number of positions it sums over (training mode).

        In eval mode${a === 0 ? " and always (a = 0)" : ""}: the student's plain cross-entropy, comparable with an undistilled model.
        """
        if ${a === 0 ? "True" : "not self.training"}:
            return super().forward(histories, targets)
        hidden, ids = self.encode(histories)
        rows, following = target_positions(ids, targets, self.trained_positions)
        if rows.numel() == 0:
            return hidden.sum() * 0, rows.new_zeros(())
        h = hidden.reshape(-1, ${e})[rows]  # [P, ${e}]
        logits = h @ self.item_embedding.weight.T  # [P, N + 1]${
          a === 1
            ? ""
            : `
        hard = F.cross_entropy(logits, following, reduction="none", label_smoothing=${pyNumber(smoothing)})`
        }
        with torch.no_grad():
            target = self.teacher_target(histories, rows, following)  # [P, N + 1]
        soft = distillation_kl(logits, target, self.temperature)  # [P]
        loss = ${loss}
        return loss.sum(), rows.new_tensor(rows.numel())
`;
}

/** Module-level functions the distill classes call: only those the plan's transforms use. */
export function distillFunctions(plan: PyPlan): string {
  const distills = plan.models.filter((m): m is PyDistill => m.family === "distill");
  if (distills.length === 0) return "";
  const used = new Set(distills.map((d) => d.transform.type));
  const parts = [
    `

def item_columns(columns: int, device: torch.device) -> torch.Tensor:
    """[C] float mask: 0 at the padding column 0, 1 at the items."""
    valid = torch.ones(columns, device=device)
    valid[0] = 0
    return valid


def item_softmax(logits: torch.Tensor) -> torch.Tensor:
    """softmax over the item columns of logits [P, C], exactly 0 at the padding column."""
    bias = (item_columns(logits.shape[1], logits.device) - 1) * 1e9
    return (logits + bias).softmax(dim=1)


def distillation_kl(
    logits: torch.Tensor, target: torch.Tensor, temperature: float
) -> torch.Tensor:
    """KL(target || softmax(logits / t)) per row [P], as sum p log p + lse(z/t) sum p - sum p z/t.

    p = 0 contributes 0 (log is floored at 1e-30); no gradient flows to the target.
    """
    scaled = logits if temperature == 1 else logits * (1 / temperature)
    lse = scaled.logsumexp(dim=1)
    neg_entropy = (target * target.clamp(min=1e-30).log()).sum(dim=1)
    return neg_entropy + lse * target.sum(dim=1) - (target * scaled).sum(dim=1)`,
  ];
  if (used.has("label_smoothing")) {
    parts.push(`

def label_smoothing_target(targets: torch.Tensor, columns: int, epsilon: float) -> torch.Tensor:
    """(1 - eps) on the true item and eps spread uniformly over the items [P, C]; no teacher."""
    valid = item_columns(columns, targets.device)
    base = (valid * epsilon / valid.sum()).expand(len(targets), columns).clone()
    at = torch.arange(len(targets), device=targets.device)
    base[at, targets] = base[at, targets] + (1 - epsilon)
    return base`);
  }
  if (used.has("pt")) {
    parts.push(`

def pt_target(probs: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """The teacher's probability of the true item kept, the rest spread over the other items."""
    valid = item_columns(probs.shape[1], probs.device)
    at = torch.arange(len(targets), device=probs.device)
    py = probs[at, targets]  # [P]
    rest = (1 - py[:, None]) / (valid.sum() - 1).clamp(min=1)  # [P, 1]
    base = rest * valid
    base[at, targets] = py
    return base`);
  }
  if (used.has("sim")) {
    parts.push(`

def sim_target(weights: torch.Tensor, targets: torch.Tensor, rho: float) -> torch.Tensor:
    """softmax over the items of cos(w_y, w_k) / rho, from the teacher's item table [C, D]."""
    unit = weights / weights.norm(dim=1, keepdim=True).clamp(min=1e-12)
    cos = unit[targets] @ unit.T  # [P, C]
    return item_softmax(cos / rho)`);
  }
  if (used.has("topk")) {
    parts.push(`

def topk_target(probs: torch.Tensor, k: int) -> torch.Tensor:
    """The teacher's k largest item probabilities kept, the remaining mass spread over the others."""
    valid = item_columns(probs.shape[1], probs.device)
    if k >= probs.shape[1]:
        return probs * valid
    # The padding column below any probability, so it is never among the k kept.
    values, indices = (probs * valid - (1 - valid)).topk(k, dim=1)
    values = values.relu()
    rest = (1 - values.sum(dim=1, keepdim=True)) / (valid.sum() - k).clamp(min=1)  # [P, 1]
    return (rest * valid).scatter(1, indices, values)`);
  }
  return parts.join("");
}
