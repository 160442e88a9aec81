/**
 * Where every alert of an Azure target goes: one action group, e-mailing the configured addresses
 * (each address receives a confirmation-free notice that it was added; it can unsubscribe).
 * Subscribe an on-call channel (a webhook, a Logic App, an ITSM connector) to it after the deploy;
 * its id is the `alarm_sink` output.
 */
import { MonitorActionGroup } from '@cdktf/provider-azurerm/lib/monitor-action-group';
import { Construct } from 'constructs';
import type { IAlarmSink } from '../core/interfaces';
import type { ResourceScope } from './resource-scope';

export interface AlarmActionGroupProps {
  readonly scope: ResourceScope;
  readonly name: string;
  /** At most 12 characters (what SMS and e-mail show as the sender). */
  readonly shortName: string;
  /** @default [] */
  readonly emails?: readonly string[];
}

export class AlarmActionGroup extends Construct implements IAlarmSink {
  readonly sinkId: string;

  constructor(scope: Construct, id: string, props: AlarmActionGroupProps) {
    super(scope, id);
    if (props.shortName.length > 12) throw new Error(`action group short name "${props.shortName}" is longer than 12 characters`);
    const group = new MonitorActionGroup(this, 'Resource', {
      name: props.name,
      resourceGroupName: props.scope.resourceGroupName,
      shortName: props.shortName,
      enabled: true,
      emailReceiver: (props.emails ?? []).map((address, i) => ({ name: `email-${i + 1}`, emailAddress: address, useCommonAlertSchema: true })),
      tags: { ...props.scope.tags },
    });
    this.sinkId = group.id;
  }
}
