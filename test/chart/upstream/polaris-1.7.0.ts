// Apache Polaris 1.7.0 (tag apache-polaris-1.7.0 of apache/polaris): the facts the chart's Polaris
// server, admin tool Job and bootstrap script (files/scripts/polaris_bootstrap.py) depend on.
//  - Images: helm/polaris/values.yaml pins apache/polaris:1.7.0, and its maintenance CronJob runs
//    apache/polaris-admin-tool at the chart version with `args:` only. runtime/admin/src/main/docker/
//    Dockerfile.jvm: ENTRYPOINT ["/opt/jboss/container/java/run/run-java.sh"], JAVA_APP_JAR=
//    /deployments/polaris-admin-tool.jar (1.1.0 to 1.5.0 used `java -jar …` instead).
//  - Admin tool: runtime/admin/.../BootstrapCommand.java; since 1.7.0 a realm already bootstrapped is
//    skipped with exit 0 ("Make admin tool bootstrap idempotent", #4996).
//  - Server properties: runtime/defaults/src/main/resources/application.properties and
//    site/content/in-dev/unreleased (configuring-polaris.md, admin-tool.md, telemetry.md).
//    SKIP_CREDENTIAL_SUBSCOPING_INDIRECTION is "Test/dev-only … For S3-compatible storage without STS,
//    set stsUnavailable: true on the storage config instead" (polaris-core FeatureConfiguration.java).
//  - Management API: spec/polaris-management-service.yml (server url {scheme}://{host}/api/management/v1).
//    stsUnavailable is in AwsStorageConfigInfo since 1.2.0; 1.1.0 did not have it, and unknown JSON
//    properties are ignored, which is how the chart's former pin silently lost it.
//  - Token endpoint: spec/iceberg-rest-catalog-open-api.yaml /v1/oauth/tokens (deprecated, still served
//    by the internal authenticator, polaris.authentication.type=internal), under /api/catalog.

export const POLARIS_VERSION = '1.7.0';

export const polarisImages = {
  server: 'apache/polaris',
  adminTool: 'apache/polaris-admin-tool',
  tag: '1.7.0',
};

/** The admin tool's `bootstrap` subcommand (picocli, mixinStandardHelpOptions). */
export const adminBootstrap = {
  subcommand: 'bootstrap',
  switches: ['-p', '--print-credentials', '-h', '--help', '-V', '--version'],
  valued: ['-r', '--realm', '-c', '--credential', '-f', '--credentials-file'],
};

/** Server and admin-tool properties the chart may set, each documented by 1.7.0. */
export const knownProperties = [
  'polaris.persistence.type',
  'quarkus.datasource.jdbc.url',
  'polaris.realm-context.realms',
  'polaris.features."SUPPORTED_CATALOG_STORAGE_TYPES"',
  'quarkus.log.file.enabled',
  'quarkus.log.console.json.enabled',
  'quarkus.otel.sdk.disabled',
];

/** Documented, but not for a real install: why not. */
export const devOnlyProperties: Record<string, string> = {
  'polaris.features."SKIP_CREDENTIAL_SUBSCOPING_INDIRECTION"':
    "test/dev-only: hands the server's own credentials to every client (set stsUnavailable on the catalog's storage instead)",
};

/** Accepted values of the properties above that take one of a few. */
export const propertyValues: Record<string, string[]> = {
  'polaris.persistence.type': ['in-memory', 'in-memory-atomic', 'nosql', 'relational-jdbc'],
};

/** Environment variables the chart gives the server and the admin tool (Quarkus' env mapping, run-java.sh). */
export const knownEnvironment = ['QUARKUS_CONFIG_LOCATIONS', 'QUARKUS_DATASOURCE_USERNAME', 'QUARKUS_DATASOURCE_PASSWORD', 'JAVA_MAX_MEM_RATIO'];

export const managementBasePath = '/api/management/v1';
export const tokenPath = '/api/catalog/v1/oauth/tokens';

/** A JSON schema, reduced to what a request body can get wrong: unknown or missing fields, types, enums. */
export type Field = { type: 'string' | 'boolean' | 'integer' } | { array: Field } | { ref: string } | { enum: string[] };
export type Schema = { properties: Record<string, Field>; required?: string[]; additional?: Field };

/** Operations of the management API the script uses (path templates as in the spec). */
export const operations: { method: string; path: string; request?: string }[] = [
  { method: 'POST', path: '/catalogs', request: 'CreateCatalogRequest' },
  { method: 'GET', path: '/catalogs/{catalogName}' },
  { method: 'POST', path: '/principals', request: 'CreatePrincipalRequest' },
  { method: 'GET', path: '/principals/{principalName}' },
  { method: 'POST', path: '/principals/{principalName}/rotate' },
  { method: 'GET', path: '/principals/{principalName}/principal-roles' },
  { method: 'PUT', path: '/principals/{principalName}/principal-roles', request: 'GrantPrincipalRoleRequest' },
  { method: 'POST', path: '/principal-roles', request: 'CreatePrincipalRoleRequest' },
  { method: 'GET', path: '/principal-roles/{principalRoleName}' },
  { method: 'GET', path: '/principal-roles/{principalRoleName}/catalog-roles/{catalogName}' },
  { method: 'PUT', path: '/principal-roles/{principalRoleName}/catalog-roles/{catalogName}', request: 'GrantCatalogRoleRequest' },
  { method: 'POST', path: '/catalogs/{catalogName}/catalog-roles', request: 'CreateCatalogRoleRequest' },
  { method: 'GET', path: '/catalogs/{catalogName}/catalog-roles/{catalogRoleName}' },
  { method: 'GET', path: '/catalogs/{catalogName}/catalog-roles/{catalogRoleName}/grants' },
  { method: 'PUT', path: '/catalogs/{catalogName}/catalog-roles/{catalogRoleName}/grants', request: 'AddGrantRequest' },
];

const str = { type: 'string' } as const;
const bool = { type: 'boolean' } as const;
const int = { type: 'integer' } as const;
const properties = { ref: 'StringMap' };
const timestamps = { createTimestamp: int, lastUpdateTimestamp: int, entityVersion: int };

/** The request schemas, with discriminated unions resolved the way the script uses them
 *  (StorageConfigInfo with storageType S3 → AwsStorageConfigInfo, GrantResource type catalog → CatalogGrant). */
export const schemas: Record<string, Schema> = {
  StringMap: { properties: {}, additional: str },
  CreateCatalogRequest: { properties: { catalog: { ref: 'Catalog' } }, required: ['catalog'] },
  Catalog: {
    properties: { type: { enum: ['INTERNAL', 'EXTERNAL'] }, name: str, properties: { ref: 'CatalogProperties' }, ...timestamps, storageConfigInfo: { ref: 'AwsStorageConfigInfo' } },
    required: ['name', 'type', 'storageConfigInfo', 'properties'],
  },
  CatalogProperties: { properties: { 'default-base-location': str }, required: ['default-base-location'], additional: str },
  AwsStorageConfigInfo: {
    properties: {
      storageType: { enum: ['S3', 'GCS', 'AZURE', 'FILE'] },
      allowedLocations: { array: str },
      storageName: str,
      roleArn: str,
      externalId: str,
      userArn: str,
      currentKmsKey: str,
      allowedKmsKeys: { array: str },
      region: str,
      endpoint: str,
      stsEndpoint: str,
      stsUnavailable: bool,
      endpointInternal: str,
      pathStyleAccess: bool,
      kmsUnavailable: bool,
    },
    required: ['storageType'],
  },
  CreatePrincipalRequest: { properties: { principal: { ref: 'Principal' }, credentialRotationRequired: bool } },
  Principal: { properties: { name: str, clientId: str, properties, ...timestamps }, required: ['name'] },
  GrantPrincipalRoleRequest: { properties: { principalRole: { ref: 'PrincipalRole' } } },
  CreatePrincipalRoleRequest: { properties: { principalRole: { ref: 'PrincipalRole' } } },
  PrincipalRole: { properties: { name: str, federated: bool, properties, ...timestamps }, required: ['name'] },
  GrantCatalogRoleRequest: { properties: { catalogRole: { ref: 'CatalogRole' } } },
  CreateCatalogRoleRequest: { properties: { catalogRole: { ref: 'CatalogRole' } } },
  CatalogRole: { properties: { name: str, properties, ...timestamps }, required: ['name'] },
  AddGrantRequest: { properties: { grant: { ref: 'CatalogGrant' } } },
  CatalogGrant: {
    properties: {
      type: { enum: ['catalog', 'namespace', 'table', 'view', 'policy'] },
      // CatalogPrivilege's catalog, namespace, table and view privileges (the spec adds policy and table-structure ones).
      privilege: {
        enum: [
          'CATALOG_MANAGE_ACCESS', 'CATALOG_MANAGE_CONTENT', 'CATALOG_MANAGE_METADATA', 'CATALOG_READ_PROPERTIES', 'CATALOG_WRITE_PROPERTIES',
          'NAMESPACE_CREATE', 'TABLE_CREATE', 'VIEW_CREATE', 'NAMESPACE_DROP', 'TABLE_DROP', 'VIEW_DROP', 'NAMESPACE_LIST', 'TABLE_LIST', 'VIEW_LIST',
          'NAMESPACE_READ_PROPERTIES', 'TABLE_READ_PROPERTIES', 'VIEW_READ_PROPERTIES', 'NAMESPACE_WRITE_PROPERTIES', 'TABLE_WRITE_PROPERTIES',
          'VIEW_WRITE_PROPERTIES', 'TABLE_READ_DATA', 'TABLE_WRITE_DATA', 'NAMESPACE_FULL_METADATA', 'TABLE_FULL_METADATA', 'VIEW_FULL_METADATA',
        ],
      },
    },
    required: ['type', 'privilege'],
  },
};
