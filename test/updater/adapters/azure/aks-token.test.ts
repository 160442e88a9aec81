/** The AKS token source: the AKS server application's scope, reuse until 5 minutes before expiry, one request at a time, clear errors. */
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { AKS_TOKEN_SCOPE, aksTokenProvider } from '../../../../updater/adapters/azure/aks-token';
import { aksApiServer } from '../../../../updater/adapters/azure/aks-cluster-api';
import type { ArmClients } from '../../../../updater/adapters/azure/arm';

function credential(answers: (AccessToken | null)[]): TokenCredential & { scopes: string[] } {
  const scopes: string[] = [];
  return {
    scopes,
    getToken: async (scope) => {
      scopes.push(String(scope));
      await new Promise((r) => setTimeout(r, 5));
      return answers.shift() ?? null;
    },
  };
}

describe('aksTokenProvider', () => {
  it('asks for the AKS server application and reuses the token until 5 minutes before it expires', async () => {
    let now = 1_000_000;
    const c = credential([
      { token: 'first', expiresOnTimestamp: now + 10 * 60_000 },
      { token: 'second', expiresOnTimestamp: now + 60 * 60_000 },
    ]);
    const token = aksTokenProvider(c, () => now);
    expect(await Promise.all([token(), token()])).toEqual(['first', 'first']);
    now += 4 * 60_000;
    expect(await token()).toBe('first');
    now += 2 * 60_000; // 4 minutes left
    expect(await token()).toBe('second');
    expect(c.scopes).toEqual([AKS_TOKEN_SCOPE, AKS_TOKEN_SCOPE]);
    expect(AKS_TOKEN_SCOPE).toBe('6dae42f8-4368-4678-94ff-3960e28e3630/.default');
  });

  it('fails with the scope named when Entra ID returns no token, and asks again next time', async () => {
    const c = credential([null, { token: 't', expiresOnTimestamp: Date.now() + 3_600_000 }]);
    const token = aksTokenProvider(c);
    await expect(token()).rejects.toThrow(/no token for the AKS server application \(6dae42f8-4368-4678-94ff-3960e28e3630\/\.default\)/);
    expect(await token()).toBe('t');
  });
});

describe('aksApiServer', () => {
  const arm = (answer: unknown): ArmClients => ({ call: async () => answer }) as unknown as ArmClients;
  const where = { subscriptionId: 's', resourceGroup: 'rg', clusterName: 'prod-cluster' };

  it('reads the server and the CA from the user kubeconfig', async () => {
    const kubeconfig = 'clusters:\n- name: c\n  cluster:\n    server: https://prod-cluster-abc.privatelink.westeurope.azmk8s.io:443\n    certificate-authority-data: ' + Buffer.from('-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----\n').toString('base64') + '\n';
    expect(await aksApiServer({ arm: arm({ kubeconfigs: [{ name: 'clusterUser', value: Buffer.from(kubeconfig).toString('base64') }] }), ...where })).toEqual({
      server: 'https://prod-cluster-abc.privatelink.westeurope.azmk8s.io:443',
      caPem: '-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----\n',
    });
  });

  it.each([
    [{}, /returned no kubeconfig/],
    [{ kubeconfigs: [{ value: Buffer.from('clusters: []').toString('base64') }] }, /names no server or CA/],
    [{ kubeconfigs: [{ value: Buffer.from('{{{').toString('base64') }] }, /is not YAML/],
  ])('refuses %j', async (answer, message) => {
    await expect(aksApiServer({ arm: arm(answer), ...where })).rejects.toThrow(message);
  });
});
