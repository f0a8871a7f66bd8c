# Mailroom image: one image, three commands (web, worker, migrate). Not built or run in this project's CI
# (its machines have no Docker engine); kept simple on purpose.
FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests install -pl web,worker,db,capture -am

FROM eclipse-temurin:25-jre
# The processes run as an unprivileged user that owns nothing in /app (the code stays read-only to it);
# CSV uploads are spooled to /tmp (MAILROOM_CSV_SPOOL_DIR to move them).
RUN groupadd --system --gid 10001 mailroom \
 && useradd --system --uid 10001 --gid mailroom --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin mailroom
WORKDIR /app
COPY --from=build /src/web/target/web-*.jar /app/web/
COPY --from=build /src/web/target/lib /app/web/lib
COPY --from=build /src/worker/target/worker-*.jar /app/worker/
COPY --from=build /src/worker/target/lib /app/worker/lib
COPY --from=build /src/db/target/db-*.jar /app/db/
COPY --from=build /src/db/target/lib /app/db/lib
COPY --from=build /src/capture/target/capture-*.jar /app/capture/
COPY --from=build /src/capture/target/lib /app/capture/lib
COPY <<'SH' /app/mailroom
#!/bin/sh
set -e
case "$1" in
  web)     exec java $MAILROOM_JAVA_OPTS -cp "/app/web/*:/app/web/lib/*" dev.mailroom.web.WebMain ;;
  worker)  exec java ${MAILROOM_JAVA_OPTS:--Xmx512m} -cp "/app/worker/*:/app/worker/lib/*" dev.mailroom.worker.WorkerMain ;;
  migrate) exec java $MAILROOM_JAVA_OPTS -cp "/app/db/*:/app/db/lib/*" dev.mailroom.db.MigrateMain ;;
  capture) exec java -cp "/app/capture/*:/app/capture/lib/*" dev.mailroom.capture.CaptureMain ;;
  *) echo "usage: mailroom web|worker|migrate|capture" >&2; exit 2 ;;
esac
SH
RUN chmod 755 /app/mailroom
USER 10001:10001
ENTRYPOINT ["/app/mailroom"]
CMD ["web"]
