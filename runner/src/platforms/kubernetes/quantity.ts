// Kubernetes resource quantities ("3900m", "16302520Ki", "16Gi", "1e3", "17179869184") as numbers,
// and the whole millicores and bytes the scheduler counts in (it rounds a fraction up).

const UNITS: Readonly<Record<string, number>> = {
  '': 1, n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** A quantity as a plain number (cores for CPU, bytes for memory). */
export function parseQuantity(q: string): number {
  // An exponent ("1e3", "1E3") is tried before the exa suffix ("1E"), as the API server's parser does.
  const m = /^([+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+))(?:[eE]([+-]?[0-9]+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]))?$/.exec(q.trim());
  if (!m) throw new Error(`not a Kubernetes quantity: ${q}`);
  const n = Number(m[1]);
  if (m[2] !== undefined) return n * 10 ** Number(m[2]);
  return n * (UNITS[m[3] ?? ''] ?? 1);
}

/** Rounds up, except for the floating-point noise of an exact value ("0.1" × 1000 = 100.00000000000001). */
function ceilExact(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - r) < 1e-6 ? r : Math.ceil(x);
}

/** A CPU quantity in whole millicores, rounded up like the scheduler's MilliValue(). */
export const cpuMillis = (q: string): number => ceilExact(parseQuantity(q) * 1000);

/** A memory quantity in whole bytes, rounded up like the scheduler's Value(). */
export const memoryBytes = (q: string): number => ceilExact(parseQuantity(q));
