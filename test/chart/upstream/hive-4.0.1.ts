// What Apache Hive 4.0.1 (the image apache/hive:4.0.1) accepts on the command lines the chart gives it,
// recorded from upstream at the release. The release jars name their source revision:
// hive-common-4.0.1.jar's HiveVersionAnnotation says 3af4517eb8cfd9407ad34ed78a0b48b57dfaa264 (branch-4.0).
//  - bin/hive: the launcher parses its own flags and hands every other argument to the service
//    (SERVICE_ARGS); bin/ext/metastore.sh then runs `hadoop jar … HiveMetaStore "$@"`.
//  - HiveMetaStore.main parses those with HiveMetastoreCli, a CommonCliOptions (commons-cli GnuParser;
//    hive-standalone-metastore-server-4.0.1-sources.jar on Maven Central): an unknown option prints
//    the usage and calls System.exit(1), so the metastore container crash-loops.
//  - bin/schematool runs the schemaTool service; its options come from SchemaToolCommandLine (same jar).
//  - packaging/src/docker/entrypoint.sh starts `bin/hive --skiphadoopversion --skiphbasecp --service metastore`.
//  - The image is built by .github/workflows/docker-GA-images.yml from the release tag with
//    HADOOP_VERSION = the pom's hadoop.version, 3.3.6 (hive-4.0.1.pom), the full Hadoop tarball:
//    share/hadoop/tools/lib holds hadoop-aws-3.3.6 and its compile dependency aws-java-sdk-bundle-1.12.367
//    (hadoop-aws-3.3.6.pom, hadoop-project-3.3.6.pom), and libexec/shellprofile.d/hadoop-aws.sh, written by
//    Hadoop's dist-tools-hooks-maker, puts both on the classpath when HADOOP_OPTIONAL_TOOLS names
//    hadoop-aws (hadoop-functions.sh, hadoop_import_shellprofiles). S3A 3.3.6 runs on the AWS SDK v1.

export const HIVE_IMAGE_TAG = '4.0.1';

/** A command-line grammar: switches take no value, valued options take the next argument. */
export type Grammar = { switches: string[]; valued: string[]; prefixed?: string[] };

export const hiveLauncher = {
  path: '/opt/hive/bin/hive',
  /** bin/hive's own flags (its `case "$1"` block); everything else is passed to the service. */
  grammar: {
    switches: ['--version', '--rcfilecat', '--orcfiledump', '--replMigration', '--skiphadoopversion', '--skiphbasecp', '--help'],
    valued: ['--service'],
    prefixed: ['--debug'],
  } satisfies Grammar,
};

/** HiveMetastoreCli: CommonCliOptions("hivemetastore", includeHiveConf=true) plus -p. */
export const metastoreOptions: Grammar = { switches: ['-v', '--verbose', '-h', '--help'], valued: ['-p', '--hiveconf', '-hiveconf'] };

/** bin/schematool, and the options of SchemaToolCommandLine the chart may use. */
export const schemaTool = {
  path: '/opt/hive/bin/schematool',
  grammar: {
    switches: ['-help', '-info', '-upgradeSchema', '-initSchema', '-initOrUpgradeSchema', '-validate', '-verbose', '-dryRun'],
    valued: ['-dbType', '-metaDbType', '-userName', '-passWord', '-url', '-driver', '-upgradeSchemaFrom', '-initSchemaTo'],
  } satisfies Grammar,
};

export const hadoopInHiveImage = {
  version: '3.3.6',
  /** The HADOOP_OPTIONAL_TOOLS entry whose shell profile adds S3A and its SDK. */
  s3aTool: 'hadoop-aws',
  /** Credential providers S3A 3.3.6 can load: the AWS SDK v1 of aws-java-sdk-bundle-1.12.367. */
  credentialProviderPackage: 'com.amazonaws.auth.',
};
