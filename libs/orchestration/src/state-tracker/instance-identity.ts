import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { TRELLIS_OPTIONS } from '../orchestration.constants';
import { ResolvedOrchestrationOptions } from '../orchestration-options.interface';

/**
 * Who this process is: `instanceId` (configured; recorded as owner, stable across restarts)
 * and its incarnation (`instanceId` plus a random nonce: this process only), which marks the
 * journal pages it writes so a retried insert of its own page is told from a rival's.
 */
@Injectable()
export class InstanceIdentity {
  readonly instanceId: string;
  readonly incarnation: string;

  constructor(@Inject(TRELLIS_OPTIONS) options: ResolvedOrchestrationOptions) {
    this.instanceId = options.instanceId;
    this.incarnation = `${options.instanceId}#${randomBytes(6).toString('hex')}`;
  }
}
