// Node 20 lacks Object.groupBy (Node 21+), which chevrotain 13 uses while analysing the grammar.
// Installed once, before the parser is built; a no-op on newer Node.
type GroupBy = <T, K extends PropertyKey>(items: Iterable<T>, key: (item: T, index: number) => K) => Partial<Record<K, T[]>>;

const objectWithGroupBy = Object as unknown as { groupBy?: GroupBy };
if (typeof objectWithGroupBy.groupBy !== "function") {
  objectWithGroupBy.groupBy = (items, key) => {
    const groups = Object.create(null) as Record<PropertyKey, unknown[]>;
    let index = 0;
    for (const item of items) {
      const k = key(item, index++);
      (groups[k] ??= []).push(item);
    }
    return groups as never;
  };
}
