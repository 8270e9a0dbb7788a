# The nspcert harness as a container: `nspcert run` with the catalogue, the reference EOJ and the mock NSP it can
# embed, from the two wheels of this repository and the runtime dependencies the lock pins (requirements/harness.txt,
# hashes checked). Reports go to /reports: mount a folder there.
#   make images          or   docker build -t nspcert/nspcert .
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD/reports:/reports" nspcert/nspcert            # self-test
#   docker run … nspcert/nspcert --sut http://adapter:9000 --nsp http://mock-nsp:8080                # a vendor's SUT
# The exit code is the run's verdict (0 pass, 1 fail, 3 harness error, 4 nothing ran, 2 usage). pip may be given a
# CA bundle and a pip.conf as build secrets (ids pip_cert, pip_conf): mounted only while the first stage downloads.
ARG BASE_IMAGE=python:3.11-slim

# --- stage 1: every wheel the image installs (downloaded against the lock's hashes; the two projects built here) ---
FROM ${BASE_IMAGE} AS wheels
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
COPY requirements/build.txt requirements/harness.txt /src/requirements/
RUN --mount=type=secret,id=pip_cert --mount=type=secret,id=pip_conf \
    if [ -s /run/secrets/pip_cert ]; then export PIP_CERT=/run/secrets/pip_cert; fi; \
    if [ -s /run/secrets/pip_conf ]; then export PIP_CONFIG_FILE=/run/secrets/pip_conf; fi; \
    pip install --require-hashes -r /src/requirements/build.txt \
    && pip wheel --require-hashes --wheel-dir /wheels -r /src/requirements/harness.txt
COPY mock-nsp/pyproject.toml mock-nsp/README.md /src/mock-nsp/
COPY mock-nsp/mock_nsp /src/mock-nsp/mock_nsp
COPY mock-nsp/nsp_vocabulary /src/mock-nsp/nsp_vocabulary
COPY pyproject.toml README.md /src/
COPY nspcert /src/nspcert
COPY reference_eoj /src/reference_eoj
RUN pip wheel --no-deps --no-build-isolation --wheel-dir /wheels /src/mock-nsp /src \
    && cd /wheels && sha256sum *.whl > SHA256SUMS

# --- stage 2: the image: the locked wheels and the two projects', installed without an index ---
FROM ${BASE_IMAGE}
ENV PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# the wheels' checksums: what the next step installs changes the build cache's key (a mount does not)
COPY --from=wheels /wheels/SHA256SUMS /tmp/wheels.sha256
RUN --mount=type=bind,from=wheels,source=/wheels,target=/wheels \
    --mount=type=bind,source=requirements/harness.txt,target=/tmp/harness.txt \
    pip install --no-index --find-links /wheels --require-hashes -r /tmp/harness.txt \
    && pip install --no-index --no-deps /wheels/nspcert_mock-*.whl /wheels/nspcert-*.whl \
    && pip check

# Any user may run it (`--user "$(id -u):$(id -g)"` makes the reports the host user's); 10001 by default.
RUN useradd --create-home --uid 10001 nspcert && mkdir -p /reports && chown nspcert /reports
USER nspcert
WORKDIR /reports
ENV HOME=/home/nspcert
ENTRYPOINT ["nspcert", "run", "--report-dir", "/reports"]
CMD []
