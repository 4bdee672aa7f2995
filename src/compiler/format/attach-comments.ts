// Comment attachment. Takes a SpecFile (and, when known, its source text) and gives, for every
// comment, the node the printer emits it with:
// - leading: on its own line(s) above an element (a top-level item, body item, list element or
//   call argument);
// - trailing: after an element on the same line, when the source had it on the line the element
//   ends on;
// - head: right after a container's opening bracket, on its line (`train {  // why`);
// - dangling: at the end of a container (file, body, list, argument list), after its last element.
// Each comment goes to the innermost container whose brackets enclose it, then to the element
// nearest it there. A comment inside an element but in none of its containers (`x = /* c */ 1`)
// cannot stay where it was, so it moves above the element or into one of its brackets, chosen so
// comments keep their order.
import type { Argument, Block, BodyItem, Comment, Expr, Span, SpecFile, TopItem } from "../ast.js";

/** What a comment is printed with: maps keyed by node identity, lists in source order. */
export interface Attachments {
  readonly leading: ReadonlyMap<object, readonly Comment[]>;
  readonly trailing: ReadonlyMap<object, readonly Comment[]>;
  /** Keyed like `dangling`: comments after the opening bracket on its line, before any element. */
  readonly head: ReadonlyMap<object, readonly Comment[]>;
  /** Keyed by the container: the File, a Body, a List, a Call (its arguments) or a Block (its arguments). */
  readonly dangling: ReadonlyMap<object, readonly Comment[]>;
}

type Element = TopItem | BodyItem | Expr | Argument;

/** A bracketed run of elements; `start`/`end` bound its interior (inside the brackets). */
interface Container {
  readonly key: object;
  readonly elements: readonly Element[];
  readonly start: number;
  readonly end: number;
}

const inside = (c: Span, outer: Span): boolean => c.start >= outer.start && c.end <= outer.end;

export function attachComments(file: SpecFile, source?: string): Attachments {
  const leading = new Map<object, Comment[]>();
  const trailing = new Map<object, Comment[]>();
  const dangling = new Map<object, Comment[]>();
  const head = new Map<object, Comment[]>();
  const add = (map: Map<object, Comment[]>, key: object, c: Comment) => {
    const list = map.get(key);
    if (list) list.push(c);
    else map.set(key, [c]);
  };
  // Without the source text no comment is known to share a line with code, so none is trailing.
  const sameLine = (from: number, to: number): boolean => source !== undefined && !/[\n\r]/.test(source.slice(from, to));

  /** Ends of comments, to step back over them when looking for a Block's `)`. */
  const commentStartByEnd = new Map(file.comments.map((c) => [c.span.end, c.span.start]));

  function blockArgsEnd(block: Block): number {
    if (!block.body) return block.span.end - 1;
    if (source === undefined) return block.body.span.start;
    // Walk back from `{` over blanks and comments to the `)` that closes the arguments.
    let pos = block.body.span.start;
    for (;;) {
      while (pos > 0 && /\s/.test(source[pos - 1])) pos--;
      const start = commentStartByEnd.get(pos);
      if (start === undefined) break;
      pos = start;
    }
    return pos - 1;
  }

  function exprContainers(e: Expr): Container[] {
    switch (e.kind) {
      case "List":
        return [{ key: e, elements: e.items, start: e.span.start + 1, end: e.span.end - 1 }];
      case "Call":
        return [{ key: e, elements: e.args, start: e.callee.span.end, end: e.span.end - 1 }];
      case "Override":
        return [...exprContainers(e.base), { key: e.body, elements: e.body.items, start: e.body.span.start + 1, end: e.body.span.end - 1 }];
      case "By":
        return [...exprContainers(e.value), ...exprContainers(e.by)];
      default:
        return [];
    }
  }

  /** The containers directly inside an element (not nested in another container of it). */
  function containersOf(el: Element): Container[] {
    const body = (b: { items: readonly BodyItem[]; span: Span } | null): Container[] =>
      b ? [{ key: b, elements: b.items, start: b.span.start + 1, end: b.span.end - 1 }] : [];
    switch (el.kind) {
      case "SpecName":
      case "Import":
        return [];
      case "Param":
      case "Assignment":
      case "Argument":
        return exprContainers(el.value);
      case "Block": {
        const args: Container[] = el.args ? [{ key: el, elements: el.args, start: el.constructorName.span.end, end: blockArgsEnd(el) }] : [];
        return [...args, ...body(el.body)];
      }
      case "Evaluate":
        return body(el.body);
      case "Experiment":
      case "NestedBlock":
        return body(el.body);
      case "Vary":
        return exprContainers(el.values);
      default:
        return exprContainers(el);
    }
  }

  function place(container: Container, comments: readonly Comment[]): void {
    const within = new Map<Element, Comment[]>();
    // A head comment prints before everything else in the container, so only the first may be one.
    let first = true;
    for (const c of comments) {
      const isFirst = first;
      first = false;
      const host = container.elements.find((e) => inside(c.span, e.span));
      if (host) {
        const list = within.get(host);
        if (list) list.push(c);
        else within.set(host, [c]);
        continue;
      }
      const prev = [...container.elements].reverse().find((e) => e.span.end <= c.span.start);
      const next = container.elements.find((e) => e.span.start >= c.span.end);
      const afterOpening = isFirst && !prev && container.key !== file && c.span.start >= container.start && sameLine(container.start, c.span.start);
      if (prev && sameLine(prev.span.end, c.span.start)) add(trailing, prev, c);
      else if (afterOpening) add(head, container.key, c);
      else if (next) add(leading, next, c);
      else add(dangling, container.key, c);
    }
    for (const [el, list] of within) placeInside(el, list);
  }

  function placeInside(el: Element, comments: readonly Comment[]): void {
    const subs = containersOf(el);
    const groups = new Map<Container, Comment[]>(subs.map((s) => [s, []]));
    for (const c of comments) {
      const sub = subs.find((s) => c.span.start >= s.start && c.span.end <= s.end);
      if (sub) {
        groups.get(sub)!.push(c);
        continue;
      }
      // Loose inside the element: above it if nothing bracketed precedes it, else into the next
      // container (before its elements) or, if none follows, the last one (after its elements), so
      // the comments' order survives. Not trailing the element: a `//` comment there would swallow
      // any comment printed after it on the same line.
      const after = subs.find((s) => s.start >= c.span.end);
      const before = [...subs].reverse().find((s) => s.end <= c.span.start);
      if (!before) add(leading, el, c);
      else groups.get(after ?? before)!.push(c);
    }
    for (const [sub, list] of groups) if (list.length > 0) place(sub, list);
  }

  place({ key: file, elements: file.items, start: 0, end: file.span.end }, file.comments);
  for (const map of [leading, trailing, head, dangling]) {
    for (const list of map.values()) list.sort((a, b) => a.span.start - b.span.start);
  }
  return { leading, trailing, head, dangling };
}
