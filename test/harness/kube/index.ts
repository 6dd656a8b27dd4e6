// The kubernetes tier's harness: a real kube-apiserver on 127.0.0.1 and helpers around it.
export { startKubeApiServer, type KubeApiServer, type KubeApiServerOptions } from './apiserver.js';
export { applyManifests, toKubernetesObjects, waitForCrdEstablished, type ApplyOptions } from './apply.js';
export { installSparkOperatorCrds, sparkOperatorCrdYaml, type SparkOperatorKind } from './spark-operator-crds.js';
export { loadKubeconfig, writeKubeconfig } from './kubeconfig.js';
export type { ServiceAccountAccess, ServiceAccountTokenOptions } from './service-account.js';
export { recordWatch, type RecordedWatch, type WatchEvent } from './watch.js';
export { apiErrorOf, type ApiFailure } from './api-error.js';
