/**
 * What the kit relies on in meshcloud's runner images (tf-block-runner and run-controller, checked
 * at v1.3.0 of meshcloud/building-block-runner). Pure (no cdktf). The facts behind each value, with
 * their source lines, are in `data/runner-image/tf-block-runner.json`, which the tests hold the
 * platforms' volumes and mounts against.
 */

/** uid and gid of the images' `meshcloud` user (`USER 2000`, Dockerfile:33,39). */
export const RUNNER_UID = 2000;
/** HOME of that user. PATH is baked as `/home/meshcloud/.nix-profile/bin` (Dockerfile:58), so HOME must stay here. */
export const RUNNER_HOME = '/home/meshcloud';
/** The CA bundle every TLS client in the images reads: Go, OpenSSL, curl, git, nix (in /etc/ssl/certs). */
export const SYSTEM_CA_BUNDLE_NAME = 'ca-certificates.crt';
/**
 * Where the images' entrypoint looks for extra CAs (`CUSTOM_CA_CERTS_PATH`; it then runs
 * `update-ca-certificates`, which needs a writable /etc/ssl/certs). Alpine's tool reads this
 * directory whatever the variable says.
 */
export const LOCAL_CA_DIR = '/usr/local/share/ca-certificates';
/** The images' entrypoint and program (`ENTRYPOINT ["/app/entrypoint.sh", "/app/tfrunner"]`, Dockerfile:71): what a platform that wraps the start runs last. */
export const RUNNER_ENTRYPOINT = ['/app/entrypoint.sh', '/app/tfrunner'] as const;
