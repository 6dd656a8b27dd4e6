// How a client-node call failed, for asserting the server's status codes. client-node 1.4.0 keeps
// the error body as unparsed text; the Status object inside it is parsed here.
import { ApiException } from '@kubernetes/client-node';
import { z } from 'zod';

const statusSchema = z.object({ kind: z.literal('Status'), reason: z.string().optional(), message: z.string().optional(), code: z.number().optional() });

export type ApiFailure = {
  code: number;
  /** The Status reason, e.g. Conflict, Forbidden, Invalid, AlreadyExists. */
  reason: string | undefined;
  message: string | undefined;
  exception: ApiException<unknown>;
};

export async function apiErrorOf(call: Promise<unknown>): Promise<ApiFailure> {
  try {
    await call;
  } catch (e) {
    // applyManifests wraps the ApiException to name the object; unwrap it.
    const exception = e instanceof ApiException ? e : e instanceof Error && e.cause instanceof ApiException ? e.cause : undefined;
    if (!exception) throw e;
    const status = statusSchema.safeParse(parseBody(exception.body));
    return {
      code: exception.code,
      reason: status.success ? status.data.reason : undefined,
      message: status.success ? status.data.message : undefined,
      exception: exception as ApiException<unknown>,
    };
  }
  throw new Error('expected the Kubernetes API call to fail, but it succeeded');
}

function parseBody(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
