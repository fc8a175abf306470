/**
 * Runs `runOnce` for every key `runs` times, in rounds (each round runs every key once, in order), so that a
 * change in the machine's load falls on all keys alike; gives, per key, the run of median `time` and every
 * run's time in run order. For benchmarks.
 */
export function medianOfRounds<K, R>(
  keys: readonly K[],
  runs: number,
  runOnce: (key: K) => R,
  time: (r: R) => number,
): { readonly median: R; readonly times: number[] }[] {
  const all = keys.map((): R[] => []);
  for (let round = 0; round < runs; round++) {
    for (let i = 0; i < keys.length; i++) all[i]!.push(runOnce(keys[i]!));
  }
  return all.map((list) => {
    const sorted = [...list].sort((a, b) => time(a) - time(b));
    return { median: sorted[Math.floor(runs / 2)]!, times: list.map(time) };
  });
}
