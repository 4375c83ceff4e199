#!/bin/bash
KAFKA_LOG4J_ROOT_LOGLEVEL=WARN exec java -Xmx128m -XX:TieredStopAtLevel=1 -Dlog4j2.configurationFile=/opt/kafka/config/log4j2.properties \
	-cp "/opt/kafka/libs/*" org.apache.kafka.tools.consumer.group.ConsumerGroupCommand "$@"
