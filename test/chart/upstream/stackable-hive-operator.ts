// How stackabletech/hive-operator names the Service clients reach the metastore through, per release
// (rust/operator-binary/src):
//  - 25.3.0: build_metastore_role_service() names the role Service metastore_role_service_name(),
//    which is the HiveCluster's own metadata.name (crd/mod.rs); the rolegroup Service
//    `<cluster>-metastore-<group>` is headless.
//  - 25.7.0 and later: a Listener named role_listener_name() = `<cluster>-metastore` (listener.rs),
//    whose Service the listener operator creates.
export const metastoreServiceName: Record<string, (cluster: string) => string> = {
  '25.3.0': (cluster) => cluster,
  '25.7.0': (cluster) => `${cluster}-metastore`,
  '25.11.0': (cluster) => `${cluster}-metastore`,
};
