/**
 * The runners' log lines exactly as their format strings produce them (meshcloud/building-block-runner
 * v1.3.0, Go's standard logger with LstdFlags: `<prefix><YYYY/MM/DD HH:MM:SS> <message>`), for the
 * interpreters' tests and for emulated runners that write them into a log store.
 */
const STAMP = '2026/07/23 10:00:00';

/** tf-block-runner (polling mode). */
export const runnerLine = {
  startup: (version = 'v1.3.0') => `[TF RUNNER] ${STAMP} Build metadata: version=${version}`, // main.go:25,27
  pollStarted: () => `${STAMP} [AUTH] Using configured auth for API requests`, // runapi.go:27, default logger (stderr)
  runCall: () => `${STAMP} [AUTH] Using Bearer token for run-specific operations`, // runapi.go:23
  pollFailed: (err = 'unexpected HTTP status: 401') => `[WORKER-001] ${STAMP} unexpected error: ${err}`, // worker.go:77/87, manager.go:74
  loginFailed: (err = 'login returned HTTP 401: {"error":"invalid_client"}') => `${STAMP} [ApiKeyAuth] failed to fetch access token: ${err}`, // meshapi/auth.go:98
  runStarted: (id: string) => `[WORKER-001] ${STAMP} Start execution of run ${id}: APPLY my-block`, // worker.go:94
  runFinished: (id: string) => `[WORKER-001] ${STAMP} Finished execution of APPLY run ${id}: my-block`, // worker.go:131
  /** A per-run local log line (runcontextinfo.go:30 prefix) that merely mentions some text. */
  perRun: (id: string, text: string) => `[WORKER-001] [APPLY] [${id}] ${STAMP} ${text}`,
};

/** run-controller. */
export const controllerLine = {
  startup: () => `[RUN CONTROLLER] ${STAMP} Build metadata: version=v1.3.0`, // main.go:20,22
  registering: (uuid = 'u') => `[RUN CONTROLLER] ${STAMP} Registering controller ${uuid} with implementationType ALL...`, // registration.go:121
  registered: () => `[RUN CONTROLLER] ${STAMP} Controller registered successfully`, // registration.go:126
  registrationFailed: (detail = 'controller registration failed: PUT failed with status 401: {}') =>
    `[RUN CONTROLLER] ${STAMP} Controller registration failed, retrying in 10s: ${detail}`, // main.go:55
  gaveUp: () => `[RUN CONTROLLER] ${STAMP} Failed to register controller after 10m0s: controller registration failed: PUT failed with status 401: {}`, // main.go:58
  cryptoFatal: () => `${STAMP} Failed to initialize crypto for controller u: public key does not match`, // controller.go:63, default logger
  running: () => `[CONTROLLER] ${STAMP} Controller running - polling for building block runs`, // controller.go:96
  interval: (s: number) => `[CONTROLLER] ${STAMP} Polling interval: ${s} seconds`, // controller.go:103
  pollFailed: (err = 'unexpected HTTP status: 403') => `[CONTROLLER] ${STAMP} Error fetching run: ${err}`, // controller.go:173
  loginFailed: () => `${STAMP} [ApiKeyAuth] failed to fetch access token: login returned HTTP 401: {}`, // meshapi/auth.go:98
  processing: (id: string) => `[CONTROLLER] ${STAMP} Processing run ${id} (type: TERRAFORM)`, // controller.go:207
};
