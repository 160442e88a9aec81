/**
 * A fake of what the AKS updater asks Azure for, on loopback: Azure Resource Manager over HTTPS
 * (a self-signed CA the clients trust) for the cluster's user kubeconfig
 * (`listClusterUserCredential`, pointing at a fake Kubernetes API) and ACR `importImage` (a
 * long-running operation, its body validated against the SDK's own model); and a managed-identity
 * token endpoint (`IDENTITY_ENDPOINT` / `IDENTITY_HEADER`, as on Azure Functions) that issues one
 * token per audience, so a test can tell which audience each call carried: ARM gets
 * {@link ARM_TOKEN}, the AKS server application {@link AKS_TOKEN}, anything else is refused.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { stringify } from 'yaml';
import { AKS_SERVER_APPLICATION_ID } from '../../updater/adapters/azure/aks-token';
import { importImageBodyProblems } from './azure-sdk-models';
import { selfSignedLoopbackCertificate } from './self-signed-tls';

export const ARM_TOKEN = 'fake-arm-token';
export const AKS_TOKEN = 'fake-aks-token';
export const IDENTITY_HEADER = 'fake-identity-header';
const TOKENS: Readonly<Record<string, string>> = { 'https://management.azure.com': ARM_TOKEN, [AKS_SERVER_APPLICATION_ID]: AKS_TOKEN };

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export class FakeAksControlPlane {
  static async start(kubernetes: { readonly url: string; readonly caPem: string }): Promise<FakeAksControlPlane> {
    const tls = await selfSignedLoopbackCertificate();
    const fake = new FakeAksControlPlane(kubernetes, tls.cert);
    fake.arm = createServer({ key: tls.key, cert: tls.cert }, (req, res) => void fake.handleArm(req, res));
    await new Promise<void>((r) => fake.arm!.listen(0, '127.0.0.1', r));
    fake.identity = createHttpServer((req, res) => fake.handleIdentity(req, res));
    await new Promise<void>((r) => fake.identity!.listen(0, '127.0.0.1', r));
    return fake;
  }

  /** ARM requests: method, path and the bearer token they carried. */
  readonly armRequests: { method: string; path: string; authorization: string | undefined }[] = [];
  /** Token requests: the resource (audience) and client id asked for. */
  readonly tokenRequests: { resource: string | null; clientId: string | null }[] = [];
  /** importImage bodies, in order (validated). */
  readonly imports: Json[] = [];
  private arm: Server | undefined;
  private identity: HttpServer | undefined;
  private operations = 0;

  private constructor(
    private readonly kubernetes: { readonly url: string; readonly caPem: string },
    readonly caPem: string,
  ) {}

  get url(): string {
    return `https://127.0.0.1:${(this.arm!.address() as AddressInfo).port}`;
  }

  get identityEndpoint(): string {
    return `http://127.0.0.1:${(this.identity!.address() as AddressInfo).port}/msi/token`;
  }

  async stop(): Promise<void> {
    for (const s of [this.arm, this.identity]) {
      if (s === undefined) continue;
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    }
  }

  private async handleArm(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url!, 'https://x');
    this.armRequests.push({ method: req.method!, path: url.pathname, authorization: req.headers.authorization });
    if (req.headers.authorization !== `Bearer ${ARM_TOKEN}`) return this.send(res, 401, { error: { code: 'InvalidAuthenticationToken', message: 'not an ARM token' } });
    const p = url.pathname;
    if (req.method === 'POST' && /\/providers\/Microsoft\.ContainerService\/managedClusters\/[^/]+\/listClusterUserCredential$/.test(p)) {
      const kubeconfig = {
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'aks', cluster: { server: this.kubernetes.url, 'certificate-authority-data': Buffer.from(this.kubernetes.caPem).toString('base64') } }],
        contexts: [{ name: 'aks', context: { cluster: 'aks', user: 'clusterUser' } }],
        'current-context': 'aks',
        // As AKS writes it for an Entra ID cluster: no credential, only how to sign in.
        users: [{ name: 'clusterUser', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'kubelogin', args: ['get-token', '--server-id', AKS_SERVER_APPLICATION_ID] } } }],
      };
      return this.send(res, 200, { kubeconfigs: [{ name: 'clusterUser', value: Buffer.from(stringify(kubeconfig)).toString('base64') }] });
    }
    if (req.method === 'POST' && /\/providers\/Microsoft\.ContainerRegistry\/registries\/[^/]+\/importImage$/.test(p)) {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Json;
      const problems = importImageBodyProblems(body);
      if (problems.length > 0) return this.send(res, 400, { error: { code: 'InvalidRequestContent', message: problems.join('; ') } });
      this.imports.push(body);
      res.writeHead(202, { Location: `${this.url}/operations/${++this.operations}`, 'Retry-After': '0' });
      return void res.end();
    }
    if (/^\/operations\/\d+$/.test(p)) return this.send(res, 200, {});
    return this.send(res, 404, { error: { code: 'NotFound', message: `${req.method} ${p}` } });
  }

  private handleIdentity(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url!, 'http://x');
    const resource = url.searchParams.get('resource');
    this.tokenRequests.push({ resource, clientId: url.searchParams.get('client_id') });
    const token = resource === null ? undefined : TOKENS[resource.replace(/\/$/, '')];
    if (req.headers['x-identity-header'] !== IDENTITY_HEADER || token === undefined) {
      res.writeHead(400, { 'Content-Type': 'application/json' });
      return void res.end(JSON.stringify({ error: 'invalid_resource', error_description: `no token for ${resource}` }));
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ access_token: token, expires_on: String(Math.floor(Date.now() / 1000) + 3600), resource, token_type: 'Bearer' }));
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  }
}
