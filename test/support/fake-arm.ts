/**
 * A fake Azure Resource Manager on loopback HTTPS (a self-signed CA the clients trust), for the
 * Azure updater's adapters and the official SDK clients they use. It speaks the wire format of the
 * APIs the updater calls (container groups GET / PUT / PATCH and container logs, ACR importImage as
 * a long-running operation, a Log Analytics workspace and its shared keys) and validates every
 * request body against the SDKs' own generated models (`azure-sdk-models.ts`), answering 400 with
 * the problems, as ARM would: the fake cannot drift from the real API without the tests noticing.
 *
 * The runner inside a container group is emulated: after a PUT the group is `Updating`, then
 * `Succeeded` with the runner container `Running` since that moment, and its log (what ARM's
 * container logs return, with ACI's timestamps) is produced from the time on the test's clock and
 * the behaviour the test gives the image: a healthy runner polls every 10 s; an unreachable one logs
 * `unexpected error` every 60 s; a crashing one restarts on every read; and a run in progress shows
 * its start line and status calls until it ends.
 */
import { createServer, type Server } from 'node:https';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { containerInstanceBodyProblems, importImageBodyProblems } from './azure-sdk-models';
import { runnerLine } from './runner-log-lines';
import { selfSignedLoopbackCertificate } from './self-signed-tls';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const FAKE_TOKEN = 'fake-arm-token';
export const SUBSCRIPTION = '00000000-0000-4000-8000-000000000001';
export const RESOURCE_GROUP = 'private-runner-kit-prod';

/** How the runner behaves when a container group runs an image. */
export type RunnerBehaviour = 'healthy' | 'unreachable' | 'crash' | 'init-fails';

export interface FakeGroup {
  /** The group as last PUT (wire form, as validated). */
  spec: Json;
  tags: Record<string, string>;
  provisioning: 'Updating' | 'Succeeded' | 'Failed';
  /** Reads left before an Updating group is Succeeded. */
  updatingReads: number;
  startedAt: number;
  restartCount: number;
  /** Every PUT body, in order. */
  puts: Json[];
}

export interface FakeRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly body: unknown;
}

export class FakeArm {
  static async start(now: () => number): Promise<FakeArm> {
    const tls = await selfSignedLoopbackCertificate();
    const fake = new FakeArm(now, tls.cert);
    fake.server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => void fake.handle(req, res));
    await new Promise<void>((r) => fake.server!.listen(0, '127.0.0.1', r));
    fake.identity = createHttpServer((req, res) => fake.handleIdentity(req, res));
    await new Promise<void>((r) => fake.identity!.listen(0, '127.0.0.1', r));
    return fake;
  }

  readonly groups = new Map<string, FakeGroup>();
  /** Tags of the mirror registry (`<repository>:<tag>` -> digest) and the import requests, in order. */
  readonly registryTags = new Map<string, string>();
  readonly imports: Json[] = [];
  readonly requests: FakeRequest[] = [];
  /** Requests the fake refused (invalid bodies), with the problems. */
  readonly refused: { request: FakeRequest; problems: string[] }[] = [];
  readonly behaviours = new Map<string, RunnerBehaviour>();
  /** A run in progress on the runner, by container group: started at `from`, finished at `until`. */
  readonly runs = new Map<string, { id: string; from: number; until: number }>();
  readonly workspace = { customerId: '11111111-aaaa-4bbb-8ccc-222222222222', key: 'fake-workspace-key==', name: 'prod-logs' };
  /** Tokens the identity endpoint issued. */
  readonly identityRequests: string[] = [];
  private server: Server | undefined;
  private identity: HttpServer | undefined;
  private operations = 0;

  private constructor(
    private readonly now: () => number,
    /** The CA clients must trust. */
    readonly caPem: string,
  ) {}

  get url(): string {
    return `https://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /** An App Service style managed-identity endpoint (IDENTITY_ENDPOINT / IDENTITY_HEADER). */
  get identityEndpoint(): string {
    return `http://127.0.0.1:${(this.identity!.address() as AddressInfo).port}/msi/token`;
  }

  async close(): Promise<void> {
    await new Promise((r) => this.server?.close(r));
    await new Promise((r) => this.identity?.close(r));
  }

  groupPath(name: string): string {
    return `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RESOURCE_GROUP}/providers/Microsoft.ContainerInstance/containerGroups/${name}`;
  }

  get workspaceId(): string {
    return `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RESOURCE_GROUP}/providers/Microsoft.OperationalInsights/workspaces/${this.workspace.name}`;
  }

  /** A group as the kit's Terraform creates it (wire form), running `image`. */
  seedGroup(name: string, image: string, tags: Record<string, string>, options: { readonly logsLinked?: boolean } = {}): FakeGroup {
    const identity = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RESOURCE_GROUP}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}-runner`;
    const spec: Json = {
      location: 'westeurope',
      identity: { type: 'UserAssigned', userAssignedIdentities: { [identity]: {} } },
      properties: {
        sku: 'Standard',
        osType: 'Linux',
        restartPolicy: 'Always',
        subnetIds: [{ id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RESOURCE_GROUP}/providers/Microsoft.Network/virtualNetworks/prod-network/subnets/runners` }],
        ipAddress: { type: 'Private', ports: [{ port: 8080, protocol: 'TCP' }] },
        imageRegistryCredentials: [{ server: 'rkprod12345678.azurecr.io', identity }],
        volumes: [{ name: 'runner-files', emptyDir: {} }],
        initContainers: [{ name: 'fetch-secrets', properties: { image, command: ['/bin/sh', '-c', 'fetch'], environmentVariables: [{ name: 'KIT_VAULT_URI', value: 'https://rk-prod.vault.azure.net/' }], volumeMounts: [{ name: 'runner-files', mountPath: '/run/runner-kit' }] } }],
        containers: [
          {
            name: 'runner',
            properties: {
              image,
              ports: [{ port: 8080, protocol: 'TCP' }],
              environmentVariables: [{ name: 'RUNNER_UUID', value: '7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f' }, { name: 'HOME', value: '/home/meshcloud' }],
              resources: { requests: { cpu: 1, memoryInGB: 2 } },
              volumeMounts: [{ name: 'runner-files', mountPath: '/run/runner-kit', readOnly: true }],
            },
          },
        ],
        ...(options.logsLinked ? { diagnostics: { logAnalytics: { workspaceId: this.workspace.customerId, workspaceKey: this.workspace.key, logType: 'ContainerInstanceLogs' } } } : {}),
      },
    };
    const group: FakeGroup = { spec, tags: { ...tags }, provisioning: 'Succeeded', updatingReads: 0, startedAt: this.now() - 3_600_000, restartCount: 0, puts: [] };
    this.groups.set(name, group);
    return group;
  }

  imageOf(name: string): string {
    return this.groups.get(name)!.spec.properties.containers.find((c: Json) => c.name === 'runner').properties.image;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url!, this.url);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      return this.send(res, 400, { error: { code: 'InvalidRequestContent', message: 'body is not JSON' } });
    }
    const request: FakeRequest = { method: req.method!, path: url.pathname, query: url.search, body };
    this.requests.push(request);
    if (req.headers.authorization !== `Bearer ${FAKE_TOKEN}`) return this.send(res, 401, { error: { code: 'AuthenticationFailed', message: 'no valid bearer token' } });
    const refuse = (problems: string[]) => {
      this.refused.push({ request, problems });
      this.send(res, 400, { error: { code: 'InvalidRequestContent', message: problems.join('; ') } });
    };
    const p = url.pathname;
    const group = /\/providers\/Microsoft\.ContainerInstance\/containerGroups\/([^/]+)$/.exec(p);
    const logs = /\/providers\/Microsoft\.ContainerInstance\/containerGroups\/([^/]+)\/containers\/([^/]+)\/logs$/.exec(p);
    if (group && req.method === 'GET') {
      const g = this.groups.get(group[1]!);
      if (!g) return this.send(res, 404, { error: { code: 'ResourceNotFound', message: `container group ${group[1]} not found` } });
      return this.send(res, 200, this.view(group[1]!, g));
    }
    if (group && req.method === 'PUT') {
      const problems = containerInstanceBodyProblems('ContainerGroup', body);
      if (problems.length > 0) return refuse(problems);
      const g = this.groups.get(group[1]!);
      if (!g) return this.send(res, 404, { error: { code: 'ResourceNotFound', message: 'the kit never creates groups through the updater' } });
      const spec = body as Json;
      g.puts.push(spec);
      g.spec = { ...spec, properties: { ...spec.properties } };
      g.tags = { ...(spec.tags ?? {}) };
      g.provisioning = 'Updating';
      g.updatingReads = 1;
      g.restartCount = 0;
      return this.send(res, 200, this.view(group[1]!, g));
    }
    if (group && req.method === 'PATCH') {
      const problems = containerInstanceBodyProblems('Resource', body);
      if (problems.length > 0) return refuse(problems);
      const g = this.groups.get(group[1]!);
      if (!g) return this.send(res, 404, { error: { code: 'ResourceNotFound', message: 'not found' } });
      g.tags = { ...((body as Json).tags ?? {}) };
      return this.send(res, 200, this.view(group[1]!, g));
    }
    if (logs && req.method === 'GET') {
      const g = this.groups.get(logs[1]!);
      if (!g) return this.send(res, 404, { error: { code: 'ResourceNotFound', message: 'not found' } });
      const tail = Number(url.searchParams.get('tail') ?? '1000000');
      const stamps = url.searchParams.get('timestamps') === 'true';
      return this.send(res, 200, { content: this.logLines(logs[1]!, g, stamps).slice(-tail).join('\n') + '\n' });
    }
    const importImage = /\/providers\/Microsoft\.ContainerRegistry\/registries\/([^/]+)\/importImage$/.exec(p);
    if (importImage && req.method === 'POST') {
      const problems = importImageBodyProblems(body);
      if (problems.length > 0) return refuse(problems);
      const b = body as Json;
      this.imports.push(b);
      const digest = String(b.source.sourceImage).split('@')[1]!;
      for (const t of b.targetTags ?? []) {
        if (b.mode !== 'Force' && this.registryTags.has(t)) return this.send(res, 409, { error: { code: 'TagAlreadyExists', message: `Tag ${t} already exists in the target registry.` } });
      }
      for (const t of b.targetTags ?? []) this.registryTags.set(t, digest);
      const operation = ++this.operations;
      res.writeHead(202, { Location: `${this.url}/operations/${operation}`, 'Retry-After': '0' });
      return void res.end();
    }
    if (/^\/operations\/\d+$/.test(p)) return this.send(res, 200, {});
    if (p === this.workspaceId && req.method === 'GET') return this.send(res, 200, { id: this.workspaceId, name: this.workspace.name, properties: { customerId: this.workspace.customerId } });
    if (p === `${this.workspaceId}/sharedKeys` && req.method === 'POST') return this.send(res, 200, { primarySharedKey: this.workspace.key, secondarySharedKey: 'other' });
    this.send(res, 404, { error: { code: 'NotFound', message: `${req.method} ${p} is not an operation this fake knows` } });
  }

  private handleIdentity(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url!, 'http://x');
    this.identityRequests.push(`${url.searchParams.get('resource')} ${url.searchParams.get('client_id')} ${req.headers['x-identity-header']}`);
    if (req.headers['x-identity-header'] !== 'fake-identity-header') {
      res.writeHead(401);
      return void res.end();
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ access_token: FAKE_TOKEN, expires_on: String(Math.floor(Date.now() / 1000) + 3600), resource: url.searchParams.get('resource'), token_type: 'Bearer' }));
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  /** The group as GET returns it: the spec plus ARM's read-only fields, never the workspace key. */
  private view(name: string, g: FakeGroup): Json {
    const image = this.imageOf(name);
    const behaviour = this.behaviours.get(image) ?? 'healthy';
    if (g.provisioning === 'Updating') {
      if (g.updatingReads > 0) g.updatingReads--;
      else {
        g.provisioning = 'Succeeded';
        g.startedAt = this.now();
      }
    }
    if (behaviour === 'crash' && g.provisioning === 'Succeeded') g.restartCount++;
    const running = g.provisioning === 'Succeeded' && behaviour !== 'init-fails';
    const properties = g.spec.properties;
    const diagnostics = properties.diagnostics?.logAnalytics ? { logAnalytics: { ...properties.diagnostics.logAnalytics, workspaceKey: undefined } } : undefined;
    return JSON.parse(
      JSON.stringify({
        id: this.groupPath(name),
        name,
        type: 'Microsoft.ContainerInstance/containerGroups',
        location: g.spec.location,
        tags: g.tags,
        identity: g.spec.identity,
        properties: {
          ...properties,
          diagnostics,
          provisioningState: g.provisioning,
          ipAddress: { ...properties.ipAddress, ip: '10.42.0.4' },
          instanceView: { state: running ? 'Running' : 'Pending', events: [] },
          initContainers: properties.initContainers.map((c: Json) => ({
            ...c,
            properties: { ...c.properties, instanceView: behaviour === 'init-fails' && g.provisioning === 'Succeeded' ? { restartCount: 2, currentState: { state: 'Terminated', exitCode: 1 }, events: [{ message: 'fetch-secrets: cannot read secret' }] } : { restartCount: 0, currentState: { state: 'Terminated', exitCode: 0 } } },
          })),
          containers: properties.containers.map((c: Json) => ({
            ...c,
            properties: {
              ...c.properties,
              instanceView: running
                ? { restartCount: g.restartCount, currentState: { state: behaviour === 'crash' && g.restartCount % 2 === 1 ? 'Waiting' : 'Running', startTime: new Date(g.startedAt).toISOString() }, events: behaviour === 'crash' ? [{ message: 'Container runner terminated with exit code 1' }] : [] }
                : { restartCount: 0, currentState: { state: 'Waiting' }, events: [] },
            },
          })),
        },
      }),
    );
  }

  /** The runner container's log since it started, as ARM returns it (optionally with ACI's timestamps). */
  logLines(name: string, g: FakeGroup, stamps: boolean): string[] {
    if (g.provisioning !== 'Succeeded') return [];
    const image = this.imageOf(name);
    const behaviour = this.behaviours.get(image) ?? 'healthy';
    if (behaviour === 'init-fails') return [];
    const now = this.now();
    const lines: [number, string][] = [[g.startedAt, runnerLine.startup()]];
    const run = this.runs.get(name);
    for (let t = g.startedAt + 1000; t <= now; t += behaviour === 'unreachable' ? 60_000 : 10_000) {
      if (run !== undefined && t >= run.from && t < run.until) continue;
      lines.push([t, runnerLine.pollStarted()]);
      if (behaviour === 'unreachable') lines.push([t + 500, runnerLine.pollFailed()]);
    }
    if (run !== undefined && run.from <= now) {
      lines.push([run.from, runnerLine.runStarted(run.id)]);
      for (let t = run.from + 10_000; t < Math.min(now, run.until); t += 10_000) lines.push([t, runnerLine.runCall()]);
      if (run.until <= now) lines.push([run.until, runnerLine.runFinished(run.id)]);
    }
    lines.sort((a, b) => a[0] - b[0]);
    return lines.map(([t, line]) => (stamps ? `${new Date(t).toISOString().replace('Z', '1234Z')} ${line}` : line));
  }
}

/** A public upstream registry on loopback HTTP (what the kit reads anonymously at ghcr.io): tags and manifests. */
export class FakeUpstream {
  static async start(releases: Record<string, string>): Promise<FakeUpstream> {
    const up = new FakeUpstream(releases);
    up.server = createHttpServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      if (url.pathname === '/v2/meshcloud/tf-block-runner/tags/list') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        return void res.end(JSON.stringify({ name: 'meshcloud/tf-block-runner', tags: Object.keys(up.releases) }));
      }
      const m = /^\/v2\/meshcloud\/tf-block-runner\/manifests\/(.+)$/.exec(url.pathname);
      const digest = m ? up.releases[m[1]!] : undefined;
      if (digest) {
        res.writeHead(200, { 'Content-Type': 'application/vnd.oci.image.index.v1+json', 'Docker-Content-Digest': digest });
        return void res.end(req.method === 'HEAD' ? undefined : '{}');
      }
      res.writeHead(404);
      res.end();
    });
    await new Promise<void>((r) => up.server!.listen(0, '127.0.0.1', r));
    return up;
  }

  private server: HttpServer | undefined;
  private constructor(readonly releases: Record<string, string>) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((r) => this.server?.close(() => r()));
  }
}
