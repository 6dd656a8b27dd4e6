// Status of a plain-HTTP health endpoint on the host (kubelet and kube-proxy healthz).
export async function httpGetStatus(url: string): Promise<number> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  await response.arrayBuffer();
  return response.status;
}
