// The runner's one door to the Kubernetes API: credentials (in-cluster ServiceAccount or a
// kubeconfig), the typed client-node APIs, retries and a request counter. Every call goes through
// `call()` (and every watch through `watch()`), so the retry policy is applied once and the
// request-count test sees every request the runner makes.
import { existsSync, readFileSync } from 'node:fs';
import {
  ApiException,
  BatchV1Api,
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  VersionApi,
  AppsV1Api,
} from '@kubernetes/client-node';
import { BadInputError } from '../../util/errors.js';
import { streamWatch, type WatchParams } from './watch-stream.js';

const SA_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';
const SA_NAMESPACE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

/** `--kubeconfig`, then $KUBECONFIG, then the pod's ServiceAccount, then ~/.kube/config. */
export function loadKubeConfig(kubeconfig?: string): KubeConfig {
  const kc = new KubeConfig();
  try {
    if (kubeconfig) kc.loadFromFile(kubeconfig);
    else if (!process.env.KUBECONFIG && process.env.KUBERNETES_SERVICE_HOST && existsSync(SA_TOKEN)) kc.loadFromCluster();
    else kc.loadFromDefault();
  } catch (e) {
    throw new BadInputError(`cannot load Kubernetes credentials: ${(e as Error).message}`, kubeconfig ?? process.env.KUBECONFIG ?? '~/.kube/config');
  }
  if (!kc.getCurrentCluster()) throw new BadInputError('no Kubernetes cluster configured (no kubeconfig context, not running in a pod)', kubeconfig ?? 'KUBECONFIG');
  return kc;
}

export type RetryPolicy = {
  /** Attempts per call, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
};
export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 250, maxDelayMs: 15_000 };

/** HTTP status of a failed call, or undefined for a transport error (reset, refused, DNS). */
export function httpStatus(e: unknown): number | undefined {
  if (e instanceof ApiException) return e.code;
  const code = (e as { statusCode?: unknown; code?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

const TRANSPORT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'UND_ERR_SOCKET']);

/** 429 and 5xx are the server asking to come back later; any other 4xx is an answer. */
export function isRetryable(e: unknown): boolean {
  const status = httpStatus(e);
  if (status !== undefined) return status === 429 || status >= 500;
  const code = (e as { code?: unknown; errno?: unknown } | null)?.code;
  return typeof code === 'string' && TRANSPORT_CODES.has(code);
}

/** Seconds the server asked for (Retry-After, delta-seconds form), if any. */
export function retryAfterMs(e: unknown): number | undefined {
  if (!(e instanceof ApiException)) return undefined;
  const headers = (e.headers ?? {}) as Record<string, string | undefined>;
  const value = headers['retry-after'] ?? headers['Retry-After'];
  const seconds = value === undefined ? NaN : Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

/** Full-jitter exponential backoff, unless the server named a delay. */
export function backoffMs(attempt: number, policy: RetryPolicy, serverAsked?: number): number {
  if (serverAsked !== undefined) return Math.min(serverAsked, policy.maxDelayMs * 4);
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return cap / 2 + Math.random() * (cap / 2);
}

/** The failed call's HTTP status and Status message, for error texts (never the request). */
export function describeApiError(e: unknown): string {
  if (e instanceof ApiException) {
    let message = '';
    try {
      const body = typeof e.body === 'string' ? (JSON.parse(e.body) as { message?: unknown }) : (e.body as { message?: unknown } | undefined);
      if (typeof body?.message === 'string') message = body.message;
    } catch {
      // not a Status body
    }
    return `HTTP ${e.code}${message ? `: ${message}` : ''}`;
  }
  return e instanceof Error ? e.message : String(e);
}

export type RequestLog = { what: string; status: number | 'ok' | 'error' };

export type KubeClientOptions = { namespace?: string; retry?: Partial<RetryPolicy>; sleep?: (ms: number) => Promise<void> };

export class KubeClient {
  readonly namespace: string;
  readonly custom: CustomObjectsApi;
  readonly core: CoreV1Api;
  readonly batch: BatchV1Api;
  readonly apps: AppsV1Api;
  readonly coordination: CoordinationV1Api;
  readonly versionApi: VersionApi;
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Every HTTP request sent, retries and watch connections included, in order. */
  readonly requests: RequestLog[] = [];

  constructor(
    readonly kc: KubeConfig,
    opts: KubeClientOptions = {},
  ) {
    this.namespace = opts.namespace ?? kc.getContextObject(kc.getCurrentContext())?.namespace ?? readInClusterNamespace() ?? 'default';
    this.custom = kc.makeApiClient(CustomObjectsApi);
    this.core = kc.makeApiClient(CoreV1Api);
    this.batch = kc.makeApiClient(BatchV1Api);
    this.apps = kc.makeApiClient(AppsV1Api);
    this.coordination = kc.makeApiClient(CoordinationV1Api);
    this.versionApi = kc.makeApiClient(VersionApi);
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  get server(): string {
    return this.kc.getCurrentCluster()?.server ?? '?';
  }

  /** Requests whose label starts with `prefix` (e.g. 'sparkapplication', 'lease'), since `from`. */
  count(prefix = '', from = 0): number {
    return this.requests.slice(from).filter((r) => r.what.startsWith(prefix)).length;
  }

  /** One API call with retries on 429 / 5xx / transport errors; 4xx is thrown at once. */
  async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await fn();
        this.requests.push({ what, status: 'ok' });
        return result;
      } catch (e) {
        this.requests.push({ what, status: httpStatus(e) ?? 'error' });
        if (!isRetryable(e) || attempt + 1 >= this.retry.attempts) throw e;
        await this.sleep(backoffMs(attempt, this.retry, retryAfterMs(e)));
      }
    }
  }

  /**
   * Opens one watch connection, closed when `signal` aborts (even before the server answered). A
   * refused watch (e.g. 410, 429) comes to `done` as a WatchHttpError, not as a throw, so the
   * caller decides whether to relist or back off.
   */
  watch(what: string, path: string, params: WatchParams, signal: AbortSignal, onEvent: (type: string, object: unknown) => void, done: (err: unknown) => void): void {
    this.requests.push({ what: `${what} watch`, status: 'ok' });
    void streamWatch(this.kc, path, params, signal, onEvent, done);
  }

  async serverVersion(): Promise<string> {
    const info = await this.call('version', () => this.versionApi.getCode());
    return info.gitVersion;
  }

  async backoff(attempt: number): Promise<void> {
    await this.sleep(backoffMs(attempt, this.retry));
  }
}

function readInClusterNamespace(): string | undefined {
  try {
    return existsSync(SA_NAMESPACE) ? readFileSync(SA_NAMESPACE, 'utf8').trim() : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a call failed with this HTTP status. */
export const hasStatus = (e: unknown, status: number): boolean => httpStatus(e) === status;
