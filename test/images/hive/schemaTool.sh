# bin/ext/schemaTool.sh of the Hive stand-in image, written for this repository in place of Hive
# 4.0.1's own: that one starts HiveSchemaTool from the hive-beeline jar, which Hive 4.0.x never
# published to Maven Central. This one starts the standalone metastore's MetastoreSchemaTool (in
# hive-standalone-metastore-server 4.0.1, already in lib/) through the same execHiveCmd, with the
# hive-cli jar as the RunJar jar; it takes the same -dbType/-initSchema/-upgradeSchema/
# -initOrUpgradeSchema options and runs the same scripts under $HIVE_HOME/scripts/metastore/upgrade.
THISSERVICE=schemaTool
export SERVICE_LIST="${SERVICE_LIST}${THISSERVICE} "

schemaTool() {
  HIVE_OPTS=''
  CLASS=org.apache.hadoop.hive.metastore.tools.schematool.MetastoreSchemaTool
  execHiveCmd "$CLASS" "$CLI_JAR" "$@"
}

schemaTool_help () {
  schemaTool -help
}
