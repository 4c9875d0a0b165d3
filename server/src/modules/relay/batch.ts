/**
 * Gathers the keys asked for while one GraphQL response is built (the same field on every item of a
 * list) and loads them in one call: one query for a page of 100 items, not 100. What DataLoader does,
 * in the few lines this needs: graphql-js resolves a list's items synchronously one after another, so
 * waiting for the current microtasks to drain (then a tick) sees them all.
 */
export function batched<K, V>(loadMany: (keys: K[]) => Promise<Map<K, V>>): (key: K) => Promise<V | undefined> {
  let pending: { key: K; resolve: (value: V | undefined) => void; reject: (error: unknown) => void }[] = [];
  const flush = () => {
    const batch = pending;
    pending = [];
    loadMany([...new Set(batch.map((entry) => entry.key))]).then(
      (values) => batch.forEach((entry) => entry.resolve(values.get(entry.key))),
      (error: unknown) => batch.forEach((entry) => entry.reject(error)),
    );
  };
  return (key) =>
    new Promise((resolve, reject) => {
      if (pending.length === 0) void Promise.resolve().then(() => process.nextTick(flush));
      pending.push({ key, resolve, reject });
    });
}

const perRequest = new WeakMap<object, Map<string, unknown>>();

/** The batcher `name` of this request (`request`: its GraphQL context), made by `make` on first use. */
export function requestBatcher<K, V>(request: object, name: string, make: () => (key: K) => Promise<V | undefined>): (key: K) => Promise<V | undefined> {
  let batchers = perRequest.get(request);
  if (!batchers) perRequest.set(request, (batchers = new Map()));
  let batcher = batchers.get(name) as ((key: K) => Promise<V | undefined>) | undefined;
  if (!batcher) batchers.set(name, (batcher = make()));
  return batcher;
}
