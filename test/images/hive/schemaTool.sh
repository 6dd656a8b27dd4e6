# bin/ext/schemaTool.sh of the Hive stand-in image, written for this repository in place of Hive
# 4.0.1's own: that one starts HiveSchemaTool from the hive-beeline jar, which Hive 4.0.x never
# published to Maven Central. This one starts the standalone metastore's MetastoreSchemaTool (in
# hive-standalone-metastore-server 4.0.1, already in lib/) through the same execHiveCmd, with the
# hive-cli jar as the RunJar jar; it takes the same -dbType/-initSchema/-upgradeSchema/
# -initOrUpgradeSchema options and runs the same scripts under $HIVE_HOME/scripts/metastore/upgrade.
#
# One transaction per script, as HiveSchemaTool: for every -dbType but hive, HiveSchemaTool.execSql
# writes each script between `!autocommit off` and `!commit` before Beeline runs it, so on PostgreSQL
# (transactional DDL) a schematool killed half-way leaves nothing behind and the next
# -initOrUpgradeSchema starts again from an empty database. MetastoreSchemaTool.execSql hands the file
# to SqlLine unchanged, whose autoCommit is on: each statement commits, a cut init leaves tables without
# a VERSION row, and every later -initOrUpgradeSchema re-runs the init script and fails on the first
# CREATE TABLE ("already exists"), for ever. So the scripts MetastoreSchemaTool runs are copies, in a
# fresh METASTORE_HOME under TMPDIR (the image's scripts stay upstream's), wrapped the same way.
THISSERVICE=schemaTool
export SERVICE_LIST="${SERVICE_LIST}${THISSERVICE} "

# Copies $HIVE_HOME/scripts/metastore/upgrade/<dbType> into a fresh METASTORE_HOME, each *.sql file
# between `!autocommit off` and `!commit` (SqlLine commands); other files (upgrade.order.<dbType>) as they are.
schemaToolTransactionalScripts() {
  local db="$1" from="$HIVE_HOME/scripts/metastore/upgrade/$1" home file
  [ -d "$from" ] || return 0
  home="$(mktemp -d "${TMPDIR:-/tmp}/schematool-home.XXXXXX")" || return 1
  mkdir -p "$home/scripts/metastore/upgrade/$db" || return 1
  for file in "$from"/*; do
    case "$file" in
      *.sql) { printf '!autocommit off\n'; cat "$file"; printf '\n!commit\n'; } >"$home/scripts/metastore/upgrade/$db/${file##*/}" || return 1 ;;
      *) cp "$file" "$home/scripts/metastore/upgrade/$db/" || return 1 ;;
    esac
  done
  export METASTORE_HOME="$home"
}

schemaTool() {
  HIVE_OPTS=''
  CLASS=org.apache.hadoop.hive.metastore.tools.schematool.MetastoreSchemaTool
  local arg previous='' db=''
  for arg in "$@"; do
    if [ "$previous" = "-dbType" ]; then db="$arg"; fi
    previous="$arg"
  done
  if [ -n "$db" ] && [ "$db" != hive ]; then
    schemaToolTransactionalScripts "$db" || { echo "schematool: cannot prepare the $db scripts under ${TMPDIR:-/tmp}" >&2; exit 1; }
  fi
  execHiveCmd "$CLASS" "$CLI_JAR" "$@"
}

schemaTool_help () {
  schemaTool -help
}
