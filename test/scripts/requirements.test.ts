/** The skip helper: a tier whose tool is missing skips with one line, or fails when CI requires the tool. */
import { decideTier, describeWith, type Requirement } from '../support/requirements';

const present: Requirement = { name: 'present-tool', check: () => undefined };
const missing = (name: string): Requirement => ({ name, check: () => `${name} not found on PATH (apt-get install ${name})` });

describe('decideTier', () => {
  it('GIVEN every requirement present THEN the tier runs', () => {
    expect(decideTier('tier', [present], {})).toEqual({ run: true });
  });

  it('GIVEN a missing tool not required by CI THEN one skip line names only what is missing and how to get it', () => {
    expect(decideTier('registry tier', [present, missing('tool-a')], {})).toEqual({
      run: false,
      fail: false,
      line: 'SKIPPED "registry tier": tool-a not found on PATH (apt-get install tool-a)',
    });
  });

  it('GIVEN RUNNER_KIT_REQUIRED_TOOLS lists the missing tool (by name or first word) THEN the tier fails', () => {
    for (const listed of ['tool-b', 'other,tool-b', 'all', 'terraform']) {
      const req = listed === 'terraform' ? missing('terraform >= 1.11') : missing('tool-b');
      const d = decideTier('tier', [req], { RUNNER_KIT_REQUIRED_TOOLS: listed });
      expect({ listed, run: d.run, fail: !d.run && d.fail }).toEqual({ listed, run: false, fail: true });
    }
  });

  it('GIVEN RUNNER_KIT_REQUIRED_TOOLS lists other tools only THEN the tier skips', () => {
    const d = decideTier('tier', [missing('tool-c')], { RUNNER_KIT_REQUIRED_TOOLS: 'tool-d,terraform' });
    expect(!d.run && d.fail).toBe(false);
  });
});

describe('describeWith never runs a skipped tier\'s body', () => {
  let ran = false;
  describeWith([missing('never-installed-tool-xyz')], 'a tier that reads a file in its body', () => {
    ran = true;
    throw new Error('the body of a skipped tier ran');
  });
  it('the body was not called', () => expect(ran).toBe(false));
});
