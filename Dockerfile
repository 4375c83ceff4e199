# One recipe for every service of the reactor:
#   docker build --build-arg SERVICE=api-service -t intake/api-service .
# SERVICE is any module that packages a Spring Boot "-exec" jar (api-service, worker-service,
# status-service). Nothing here names the modules: the build stage packages whatever the root
# POM lists, so modules added, moved or renamed need no change here.

# ---- every pom.xml, nothing else: the dependency layer below is rebuilt only when one changes
FROM eclipse-temurin:17-jdk AS poms
WORKDIR /src
COPY . .
# (timestamps reset: the next stage's cache key is then the POMs' content alone)
RUN find . -type f ! -name pom.xml ! -path './.mvn/*' ! -name mvnw -delete \
    && find . -depth -type d -empty -delete \
    && find . -exec touch -h -d @0 {} +

# ---- Maven and the reactor's dependencies and plugins, cached while no POM changes
FROM eclipse-temurin:17-jdk AS deps
WORKDIR /src
COPY --from=poms /src /src
RUN ./mvnw -B -ntp -q dependency:go-offline -DexcludeReactor=true

# ---- the whole reactor, packaged once and shared by the images of all services
FROM deps AS build
COPY . .
# every runnable module leaves <module>/target/<artifact>-<version>-exec.jar; it is kept as
# /jars/<module>.jar, at whatever depth the module lies
RUN ./mvnw -B -ntp package -Dmaven.test.skip=true \
    && mkdir -p /jars \
    && find . -path '*/target/*-exec.jar' -print | while read -r jar; do \
           cp "$jar" "/jars/$(basename "$(dirname "$(dirname "$jar")")").jar"; done \
    && ls -l /jars

# ---- the chosen service's jar split into Spring Boot layers (libraries change least often)
FROM eclipse-temurin:17-jdk AS layers
ARG SERVICE
# fails with "/jars/<SERVICE>.jar: no such file" for a module without an exec jar
COPY --from=build /jars/${SERVICE}.jar /service.jar
RUN java -Djarmode=tools -jar /service.jar extract --layers --launcher --destination /layers

FROM eclipse-temurin:17-jre
ARG SERVICE
# a fixed non-root user; /var/lib/intake holds local state (the status-service's RocksDB stores)
RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/intake --shell /usr/sbin/nologin intake \
    && mkdir -p /var/lib/intake/streams /opt/intake \
    && chown -R intake:intake /var/lib/intake
COPY docker/entrypoint.sh docker/healthcheck.sh /usr/local/bin/
WORKDIR /opt/intake
COPY --from=layers /layers/dependencies/ ./
COPY --from=layers /layers/spring-boot-loader/ ./
COPY --from=layers /layers/snapshot-dependencies/ ./
COPY --from=layers /layers/application/ ./
USER intake
# heap as a share of the container's memory limit (the JVM reads the cgroup limit); the rest is
# metaspace, threads, Netty's direct buffers and, in the status-service, RocksDB; thread priorities
# applied (the worker's decode threads run below normal, which needs no privileges); G1 named,
# since in a container of less than 1,792 MB the JVM would pick the serial collector, whose full
# collections of the status-service's heap took up to 1.4 s under load (BENCHMARKS.md, look-ups)
ENV INTAKE_SERVICE=${SERVICE} \
    JAVA_TOOL_OPTIONS="-XX:+UseG1GC -XX:MaxRAMPercentage=60 -XX:InitialRAMPercentage=25 -XX:+ExitOnOutOfMemoryError -XX:ThreadPriorityPolicy=1" \
    SPRING_KAFKA_STREAMS_STATE_DIR=/var/lib/intake/streams
HEALTHCHECK --interval=5s --timeout=4s --start-period=180s --retries=6 CMD ["healthcheck.sh"]
ENTRYPOINT ["entrypoint.sh"]
