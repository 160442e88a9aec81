/**
 * Acknowledging a finding: a recorded, reasoned exception for ONE finding, never a whole rule
 * (after cdk-nag's suppressions, made narrower).
 *
 * An acknowledgement names the rule and the finding key (`AWS-IAM-4` +
 * `Escalation::iam:PassRole+ecs:RegisterTaskDefinition+ecs:UpdateService`) and gives a reason of
 * at least 10 characters. It is attached in code next to the construct that needs it and covers
 * the one finding with that rule and key on a resource inside that construct; attached to the
 * stack (or passed to the `RulePack`), it covers the one such finding in the whole stack. If the
 * scope holds more than one such finding, synthesis fails and asks for a narrower scope.
 *
 * Acknowledged findings do not fail synthesis; they are listed in the audit output (the report,
 * an info annotation in the manifest, and `policies/RULES.md` for the examples).
 */
import type { IConstruct } from 'constructs';
import { findingId } from './rule';

export const MIN_REASON_LENGTH = 10;

/** Construct metadata type under which acknowledgements are stored. */
export const ACKNOWLEDGEMENT_METADATA = 'private-runner-kit:rule-acknowledgement';

export interface Acknowledgement {
  /** Kit rule id, e.g. `AWS-SG-3`. */
  readonly ruleId: string;
  /** The finding key as printed in brackets by the failing synthesis, e.g. `Egress::tcp:8443`. */
  readonly findingKey: string;
  /** Why the exception is acceptable here (at least 10 characters): what an auditor reads. */
  readonly reason: string;
}

/** An acknowledgement and the construct path it was attached at. */
export interface PlacedAcknowledgement extends Acknowledgement {
  readonly scopePath: string;
}

/** Throws when an acknowledgement is malformed; `where` names its place for the message. */
export function validateAcknowledgement(a: Acknowledgement, where: string): void {
  const id = findingId(a.ruleId, a.findingKey);
  if (typeof a.ruleId !== 'string' || !/^[A-Z0-9]+(-[A-Z0-9]+)+$/.test(a.ruleId)) {
    throw new Error(`acknowledgement at ${where}: rule id ${JSON.stringify(a.ruleId)} is not a kit rule id; use the id printed by the failing synthesis, e.g. AWS-SG-3`);
  }
  if (typeof a.findingKey !== 'string' || a.findingKey.trim() === '' || a.findingKey.trim() === '*') {
    throw new Error(`acknowledgement ${id} at ${where}: the finding key must name one finding (what synthesis printed in brackets, e.g. Egress::tcp:8443 or the resource address), not ${JSON.stringify(a.findingKey)}; a whole rule cannot be acknowledged`);
  }
  const reason = typeof a.reason === 'string' ? a.reason.trim() : '';
  if (reason.length < MIN_REASON_LENGTH) {
    throw new Error(`acknowledgement ${id} at ${where}: reason ${JSON.stringify(a.reason)} is ${reason.length} characters; give at least ${MIN_REASON_LENGTH}: why this finding is acceptable here`);
  }
}

/**
 * Acknowledges one finding on a resource inside `scope` (the construct that needs the exception).
 * Throws at once for a missing rule id, a missing or wildcard finding key, or a reason shorter
 * than 10 characters.
 */
export function acknowledge(scope: IConstruct, ruleId: string, findingKey: string, reason: string): void {
  const a: Acknowledgement = { ruleId, findingKey, reason: typeof reason === 'string' ? reason.trim() : reason };
  validateAcknowledgement(a, scope.node.path || '(root)');
  scope.node.addMetadata(ACKNOWLEDGEMENT_METADATA, a);
}

/** Every acknowledgement attached at `root` or below it, in tree order. */
export function acknowledgementsIn(root: IConstruct): PlacedAcknowledgement[] {
  return root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === ACKNOWLEDGEMENT_METADATA)
      .map((m) => ({ ...(m.data as Acknowledgement), scopePath: c.node.path })),
  );
}
