import {
  CONFIG_HISTORY_MAX_BYTES,
  CONFIG_HISTORY_MAX_ENTRIES,
  findConfig,
  parseConfigHistory,
  rememberConfigs,
  serializeConfigHistory,
} from '../../../../updater/adapters/kubernetes/config-history';
import { configSha256 } from '../../../../updater/adapters/kubernetes/run-controller-config-images';

const file = (n: number) => `namespace: "meshstack-runner"\nimplementations:\n  TERRAFORM:\n    image: "r/tf-block-runner@sha256:${String(n).padStart(64, '0')}"\n`;

describe('config history', () => {
  it('round-trips through the annotation text and finds a file by its hash', () => {
    const history = rememberConfigs([], file(2), file(1));
    const parsed = parseConfigHistory(serializeConfigHistory(history));
    expect(parsed.map((e) => e.content)).toEqual([file(2), file(1)]);
    expect(findConfig(parsed, configSha256(file(1)))).toBe(file(1));
    expect(findConfig(parsed, configSha256(file(3)))).toBeUndefined();
  });

  it('keeps one entry per file, newest first', () => {
    const history = rememberConfigs(rememberConfigs([], file(2), file(1)), file(1), file(2));
    expect(history.map((e) => e.content)).toEqual([file(1), file(2)]);
  });

  it(`keeps at most ${CONFIG_HISTORY_MAX_ENTRIES} entries, dropping the oldest`, () => {
    let history = rememberConfigs([], file(0));
    for (let n = 1; n <= 14; n++) history = rememberConfigs(history, file(n));
    expect(history).toHaveLength(CONFIG_HISTORY_MAX_ENTRIES);
    expect(history[0]!.content).toBe(file(14));
    expect(history.at(-1)!.content).toBe(file(5));
  });

  it(`stays under ${CONFIG_HISTORY_MAX_BYTES} bytes, dropping the oldest`, () => {
    const big = (n: number) => `${file(n)}# ${'x'.repeat(40_000)}\n`;
    const history = rememberConfigs(rememberConfigs(rememberConfigs([], big(1)), big(2)), big(3), big(4));
    expect(history.map((e) => e.content)).toEqual([big(3), big(4), big(2)]);
    expect(serializeConfigHistory(history).length).toBeLessThanOrEqual(CONFIG_HISTORY_MAX_BYTES);
  });

  it('fails for a file too large to keep at all', () => {
    expect(() => rememberConfigs([], `# ${'x'.repeat(CONFIG_HISTORY_MAX_BYTES)}`)).toThrow(/is too large to keep for a rollback in annotation private-runner-kit\/config-history/);
  });

  it.each([
    ['undefined', undefined],
    ['not JSON', '{'],
    ['not a list', '{"sha256":"x"}'],
  ])('reads %s as no history', (_, text) => expect(parseConfigHistory(text)).toEqual([]));

  it('drops entries whose text does not hash to their key (a hand-edited annotation cannot swap a config in)', () => {
    const text = JSON.stringify([{ sha256: configSha256(file(1)), content: file(2) }, { sha256: configSha256(file(3)), content: file(3) }, { sha256: 1 }]);
    expect(parseConfigHistory(text)).toEqual([{ sha256: configSha256(file(3)), content: file(3) }]);
  });
});
