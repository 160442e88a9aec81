/**
 * KubernetesClient over real HTTP(S) against the fake API server (test/support/fake-kubernetes-api.ts)
 * and a few raw loopback servers for what the fake does not do (hang, answer HTML, answer too much).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  apiPaths,
  isConflict,
  isNotFound,
  isTransientKubernetesError,
  KubernetesApiError,
  KubernetesClient,
  KubernetesTransportError,
} from '../../../../updater/adapters/kubernetes/kubernetes-client';
import { FakeKubernetesApi } from '../../../support/fake-kubernetes-api';
import { selfSignedLoopbackCertificate, type TlsIdentity } from '../../../support/self-signed-tls';
import configMapFixture from './fixtures/configmap.json';
import deploymentFixture from './fixtures/deployment.json';
import statusErrors from './fixtures/status-errors.json';

const NS = 'meshstack-runner';
const NAME = 'run-controller-default';

describe('KubernetesClient against the fake API server', () => {
  let api: FakeKubernetesApi;
  let client: KubernetesClient;
  let tokenCalls = 0;

  beforeEach(async () => {
    api = await new FakeKubernetesApi({ token: 'token-1' }).start();
    api.seed(deploymentFixture);
    api.seed(configMapFixture);
    tokenCalls = 0;
    client = new KubernetesClient({ server: api.url, token: async () => (tokenCalls++, 'token-1'), timeoutMs: 2_000 });
  });
  afterEach(async () => {
    client.close();
    await api.stop();
  });

  it('GETs an object as JSON, asking the token provider for every request', async () => {
    const first = await client.get<{ metadata: { name: string } }>(apiPaths.deployment(NS, NAME));
    const second = await client.get<{ data: Record<string, string> }>(apiPaths.configMap(NS, NAME));
    expect(first.metadata.name).toBe(NAME);
    expect(second.data['config.yaml']).toBe(configMapFixture.data['config.yaml']);
    expect(tokenCalls).toBe(2);
    expect(api.requests.map((r) => [r.method, r.url, r.authorization])).toEqual([
      ['GET', `/apis/apps/v1/namespaces/${NS}/deployments/${NAME}`, 'Bearer token-1'],
      ['GET', `/api/v1/namespaces/${NS}/configmaps/${NAME}`, 'Bearer token-1'],
    ]);
  });

  it('sends a query (a label selector) URL-encoded', async () => {
    const list = await client.get<{ kind: string; items: unknown[] }>(apiPaths.replicaSets(NS), { labelSelector: 'app.kubernetes.io/name=run-controller,app.kubernetes.io/instance=run-controller-default' });
    expect(list.kind).toBe('ReplicaSetList');
    expect(list.items).toHaveLength(1);
    expect(api.requests[0]!.url).toBe(`/apis/apps/v1/namespaces/${NS}/replicasets?labelSelector=app.kubernetes.io%2Fname%3Drun-controller%2Capp.kubernetes.io%2Finstance%3Drun-controller-default`);
  });

  it.each([
    ['merge', 'application/merge-patch+json', { data: { extra: 'yes' } }],
    ['strategic-merge', 'application/strategic-merge-patch+json', { data: { extra: 'yes' } }],
    ['json', 'application/json-patch+json', [{ op: 'add', path: '/data/extra', value: 'yes' }]],
  ] as const)('PATCHes with %s patch as %s', async (type, contentType, patch) => {
    const patched = await client.patch<{ data: Record<string, string> }>(apiPaths.configMap(NS, NAME), patch, type);
    expect(patched.data).toEqual({ 'config.yaml': configMapFixture.data['config.yaml'], extra: 'yes' });
    expect(api.requests.at(-1)).toMatchObject({ method: 'PATCH', contentType, body: patch });
  });

  it('PUTs with the resourceVersion read; a stale one is a 409 Conflict with the Status message', async () => {
    const configMap = await client.get<{ metadata: { resourceVersion: string }; data: Record<string, string> }>(apiPaths.configMap(NS, NAME));
    const updated = await client.put<{ metadata: { resourceVersion: string } }>(apiPaths.configMap(NS, NAME), { ...configMap, data: { 'config.yaml': 'namespace: "x"\n' } });
    expect(Number(updated.metadata.resourceVersion)).toBeGreaterThan(Number(configMap.metadata.resourceVersion));
    const stale = client.put(apiPaths.configMap(NS, NAME), { ...configMap, data: { 'config.yaml': 'namespace: "y"\n' } });
    await expect(stale).rejects.toThrow(
      `PUT /api/v1/namespaces/${NS}/configmaps/${NAME} failed: HTTP 409 Conflict: Operation cannot be fulfilled on configmaps "${NAME}": the object has been modified; please apply your changes to the latest version and try again`,
    );
    expect(isConflict(await stale.catch((e: unknown) => e))).toBe(true);
  });

  it('a patch carrying a stale resourceVersion is a 409 too', async () => {
    const error = await client.patch(apiPaths.configMap(NS, NAME), { metadata: { resourceVersion: '1' }, data: { x: 'y' } }, 'merge').catch((e: unknown) => e);
    expect(isConflict(error)).toBe(true);
  });

  it('404 is a KubernetesApiError with reason NotFound', async () => {
    const missing = client.get(apiPaths.deployment(NS, 'nope'));
    await expect(missing).rejects.toThrow(`GET /apis/apps/v1/namespaces/${NS}/deployments/nope failed: HTTP 404 NotFound: deployments.apps "nope" not found`);
    expect(isNotFound(await missing.catch((e: unknown) => e))).toBe(true);
    await expect(missing).rejects.toMatchObject({ status: 404, reason: 'NotFound' });
  });

  it.each([
    ['conflict', 'HTTP 409 Conflict: Operation cannot be fulfilled on deployments.apps "run-controller-default"', false],
    ['forbidden', 'HTTP 403 Forbidden: configmaps "run-controller-default" is forbidden: User "arn:aws:sts::123456789012:assumed-role/acme-prod-updater/acme-prod-updater" cannot patch resource', false],
    ['unauthorized', 'HTTP 401 Unauthorized: Unauthorized', false],
    ['invalid', 'HTTP 422 Invalid: Deployment.apps "run-controller-default" is invalid: spec.template.spec.containers[0].image: Required value', false],
    ['too-many-requests', 'HTTP 429 TooManyRequests: Too many requests, please try again later.; client rate limiter Wait returned an error', true],
  ] as const)('reports a %s Status with its reason and message', async (name, text, transient) => {
    const fixture = statusErrors[name];
    api.inject(/deployments/, fixture.status, fixture.body);
    const error = await client.get(apiPaths.deployment(NS, NAME)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubernetesApiError);
    expect((error as Error).message).toContain(text);
    expect(isTransientKubernetesError(error)).toBe(transient);
    expect((error as Error).message).not.toContain('token-1');
  });

  it('answers 401 from the server for a wrong token', async () => {
    const wrong = new KubernetesClient({ server: api.url, token: async () => 'someone-elses' });
    await expect(wrong.get(apiPaths.deployment(NS, NAME))).rejects.toMatchObject({ status: 401, reason: 'Unauthorized' });
    wrong.close();
  });

  it('fails without a request when the token provider fails', async () => {
    const broken = new KubernetesClient({ server: api.url, token: async () => Promise.reject(new Error('no credentials in the environment')) });
    const error = await broken.get(apiPaths.deployment(NS, NAME)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubernetesTransportError);
    expect((error as Error).message).toBe(`GET /apis/apps/v1/namespaces/${NS}/deployments/${NAME} failed: could not get a bearer token: no credentials in the environment`);
    expect(api.requests).toEqual([]);
    broken.close();
  });

  it('keeps a path prefix of the server URL', async () => {
    const prefixed = new KubernetesClient({ server: `${api.url}/k8s/clusters/c-m-abc12/`, token: async () => 'token-1' });
    await expect(prefixed.get(apiPaths.deployment(NS, NAME))).rejects.toMatchObject({ status: 404 });
    expect(api.requests[0]!.url).toBe(`/k8s/clusters/c-m-abc12/apis/apps/v1/namespaces/${NS}/deployments/${NAME}`);
    prefixed.close();
  });
});

describe('KubernetesClient transport', () => {
  const servers: http.Server[] = [];
  afterAll(async () => {
    for (const s of servers) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
  });
  async function rawServer(handler: http.RequestListener): Promise<string> {
    const server = http.createServer(handler);
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('gives up after timeoutMs', async () => {
    const url = await rawServer(() => undefined);
    const client = new KubernetesClient({ server: url, timeoutMs: 150 });
    await expect(client.get('/api/v1/namespaces/x/configmaps/y')).rejects.toThrow('GET /api/v1/namespaces/x/configmaps/y failed: timed out after 150 ms');
    client.close();
  });

  it('shows the start of a body that is not a Status (a proxy\'s error page)', async () => {
    const url = await rawServer((_, res) => res.writeHead(502, { 'Content-Type': 'text/html' }).end('<html><body><h1>502 Bad Gateway</h1>\n</body></html>'));
    const client = new KubernetesClient({ server: url });
    const error = await client.get('/version').catch((e: unknown) => e);
    expect((error as Error).message).toBe('GET /version failed: HTTP 502: <html><body><h1>502 Bad Gateway</h1> </body></html>');
    expect(isTransientKubernetesError(error)).toBe(true);
    client.close();
  });

  it('refuses an answer larger than maxResponseBytes', async () => {
    const url = await rawServer((_, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ data: 'x'.repeat(10_000) })));
    const client = new KubernetesClient({ server: url, maxResponseBytes: 1_000 });
    await expect(client.get('/api/v1/namespaces/x/configmaps/y')).rejects.toThrow('the answer is larger than 1000 bytes; refusing to read it');
    client.close();
  });

  it('reports a refused connection as a transient transport error', async () => {
    const url = await rawServer(() => undefined);
    const port = new URL(url).port;
    const server = servers.pop()!;
    await new Promise((r) => server.close(r));
    const client = new KubernetesClient({ server: `http://127.0.0.1:${port}` });
    const error = await client.get('/version').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubernetesTransportError);
    expect(isTransientKubernetesError(error)).toBe(true);
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
    client.close();
  });
});

describe('KubernetesClient over HTTPS with the cluster CA', () => {
  let tls: TlsIdentity;
  let api: FakeKubernetesApi;
  beforeAll(async () => {
    tls = await selfSignedLoopbackCertificate();
    api = await new FakeKubernetesApi({ token: 't', tls }).start();
    api.seed(deploymentFixture);
  });
  afterAll(() => api.stop());

  it('trusts the API server certified by caPem', async () => {
    const client = new KubernetesClient({ server: api.url, token: async () => 't', caPem: tls.cert });
    expect(api.url.startsWith('https://127.0.0.1:')).toBe(true);
    await expect(client.get(apiPaths.deployment(NS, NAME))).resolves.toMatchObject({ metadata: { name: NAME } });
    client.close();
  });

  it('refuses it without caPem, saying what to pass', async () => {
    const client = new KubernetesClient({ server: api.url, token: async () => 't' });
    await expect(client.get(apiPaths.deployment(NS, NAME))).rejects.toThrow(/TLS verification failed \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE).*pass the cluster's CA certificate as caPem/);
    client.close();
  });
});

describe('KubernetesClient options', () => {
  it.each([
    [{ server: 'http://10.0.0.12:443' }, 'Kubernetes API server http://10.0.0.12:443/ uses plain http to a non-loopback host; use https'],
    [{ server: 'not a url' }, 'server "not a url" is not a URL; use the API server endpoint'],
    [{ server: 'https://user:pw@example.com' }, 'Kubernetes API server URL must not embed credentials'],
    [{ server: 'https://example.com', caPem: 'LS0tLS1CRUdJTi...' }, 'caPem holds no PEM certificate'],
    [{ server: 'https://example.com', timeoutMs: 0 }, 'timeoutMs must be a positive number of milliseconds, got 0'],
  ])('refuses %j', (options, message) => {
    expect(() => new KubernetesClient(options)).toThrow(message);
  });

  it.each([
    () => apiPaths.deployment('Meshstack', NAME),
    () => apiPaths.configMap(NS, '../secrets/x'),
    () => apiPaths.replicaSets(''),
  ])('validates names before they become a path (%#)', (make) => {
    expect(make).toThrow(/is not a valid Kubernetes name/);
  });
});
