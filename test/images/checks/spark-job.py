"""PySpark job of the Spark image check (check_spark in ../checks.sh): a sum on the image's Spark."""

import getpass

from pyspark.sql import SparkSession

spark = SparkSession.builder.appName("spark-check").getOrCreate()
total = spark.range(100).groupBy().sum("id").collect()[0][0]
java = spark.sparkContext._jvm.java.lang.System.getProperty("java.specification.version")
print(f"spark-check: sum={total} user={getpass.getuser()} java={java}")
spark.stop()
