# One image recipe for the three services: docker build --build-arg SERVICE=api-service .
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
COPY contracts contracts
COPY platform platform
COPY api-service api-service
COPY worker-service worker-service
COPY status-service status-service
COPY local/pom.xml local/pom.xml
ARG SERVICE
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -ntp -q -pl ${SERVICE} -am package -DskipTests \
    && cp ${SERVICE}/target/${SERVICE}-*-exec.jar /service.jar

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 intake && mkdir -p /var/lib/intake && chown intake /var/lib/intake
USER intake
WORKDIR /var/lib/intake
COPY --from=build /service.jar /opt/intake/service.jar
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
ENTRYPOINT ["java", "-jar", "/opt/intake/service.jar"]
