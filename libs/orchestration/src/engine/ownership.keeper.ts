import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { newId } from '../ids';
import { TRELLIS_OPTIONS } from '../orchestration.constants';
import { ResolvedOrchestrationOptions } from '../orchestration-options.interface';
import {
  EXECUTION_STORE,
  ExecutionStore,
  InstanceLease,
} from '../state-tracker/execution-store.interface';
import { InstanceIdentity } from '../state-tracker/instance-identity';
import { ExecutionFold } from '../state-tracker/journal/execution-fold';
import { StoreHealth } from '../state-tracker/store-health';
import { ExecutionLauncher } from './execution.launcher';
import { LeaseState } from './lease.state';

/** What this process last saw of another instance's lease. */
interface Sighting {
  incarnation: string;
  beat: number;
  /** When (this process's monotonic clock, ms) the lease was last seen to change. */
  changedAt: number;
  /** The instance's own lease length (see `InstanceLease.leaseMs`). */
  leaseMs: number;
}

/**
 * Ownership: renews this instance's lease (one small document per instance, listing what it
 * owns), watches the other instances' leases, and claims the executions of instances whose
 * lease stopped changing for `leaseMs` (judged on this process's own clock, so clocks need not
 * agree). An instance that could not renew its own lease for `leaseMs` lets go of its running
 * executions, because another may have claimed them, and claims them back once it can.
 * Every claim itself is decided by the journal's unique page keys, not by the lease.
 */
@Injectable()
export class OwnershipKeeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Trellis');
  private readonly seen = new Map<string, Sighting>();
  /** Executions this instance let go of (lease lost) or found from its previous process, to claim back. */
  private get reclaim(): Set<string> {
    return this.lease.reclaim;
  }
  private timer?: NodeJS.Timeout;
  private beat = 0;
  private sweeping: Promise<number> | null = null;
  private stopped = false;

  constructor(
    @Inject(EXECUTION_STORE) private readonly store: ExecutionStore,
    private readonly launcher: ExecutionLauncher,
    private readonly identity: InstanceIdentity,
    private readonly health: StoreHealth,
    private readonly lease: LeaseState,
    @Inject(TRELLIS_OPTIONS) private readonly options: ResolvedOrchestrationOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // NOTE: sweep before the first renewal: this instance's lease may still list what its
    // previous process owned, and renewing first would overwrite that list.
    if (this.options.recoverOnStartup) {
      await this.sweep().catch((error: Error) =>
        this.logger.error(`Recovery at startup failed: ${error.message}`),
      );
    }
    await this.renew();
    this.schedule();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Executions this instance owns or must claim back (what its lease lists). */
  owned(): string[] {
    return [
      ...new Set([...this.launcher.ids(), ...this.launcher.idsInCreation(), ...this.reclaim]),
    ];
  }

  /**
   * Claims what needs an owner: executions of instances taken for dead, this instance's own from
   * a previous process or let go of, and executions created by those after their last renewal.
   * @returns how many executions were claimed.
   */
  sweep(): Promise<number> {
    // NOTE: nothing can be claimed while the store is away; the lease renewal finds out when it is back.
    if (this.stopped || !this.health.up) return Promise.resolve(0);
    this.sweeping ??= this.doSweep().finally(() => (this.sweeping = null));
    return this.sweeping;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(
      () => {
        void this.renew()
          .then(() => (this.health.up ? this.sweep() : 0))
          .catch((error: Error) => this.logger.error(`Lease sweep failed: ${error.message}`))
          .finally(() => this.schedule());
      },
      Math.max(200, Math.floor(this.options.leaseMs / 3)),
    );
    this.timer.unref();
  }

  /** Renews this instance's lease; lets go of everything if it could not for `leaseMs`. */
  private async renew(): Promise<void> {
    const lease: InstanceLease = {
      instanceId: this.identity.instanceId,
      incarnation: this.identity.incarnation,
      beat: ++this.beat,
      renewedAt: new Date(),
      active: this.owned(),
      createdUpTo: newId(),
      leaseMs: this.options.leaseMs,
    };
    try {
      await this.health.call(() => this.store.renewLease(lease), this.options.storeTimeoutMs, {
        probe: true,
      });
      const late = !this.lease.fresh();
      this.lease.renewed();
      // NOTE: this process was stopped (or starved) past its lease: another instance may have
      // claimed some of its executions, and handlers must not start for those. It lets go of all
      // of them and claims them back; a claim refuses an execution another live instance owns.
      if (late) this.letGo('the lease was renewed too late');
    } catch (error) {
      const since = this.lease.age();
      this.logger.error(
        `Lease renewal failed (${Math.round(since)} ms since the last): ${(error as Error).message}`,
      );
      if (since >= this.options.leaseMs) this.letGo('the lease could not be renewed');
    }
  }

  /** Lets go of every running execution (its handlers are aborted) to claim them back later. */
  private letGo(reason: string): void {
    const ids = this.launcher.ids();
    if (ids.length === 0) return;
    this.logger.error(`Letting go of ${ids.length} execution(s): ${reason}`);
    for (const id of ids) {
      this.launcher.release(id, reason);
      this.reclaim.add(id);
    }
  }

  private async doSweep(): Promise<number> {
    const leases = await this.store.readLeases();
    const now = performance.now();
    const candidates = new Map<string, string | null>();
    const dead: InstanceLease[] = [];
    for (const lease of leases) {
      if (lease.instanceId === this.identity.instanceId) {
        if (lease.incarnation !== this.identity.incarnation) {
          // NOTE: kept in `reclaim` (and so in this instance's lease) until claimed or ended.
          for (const id of lease.active) this.reclaim.add(id);
          for (const id of await this.store.findCreatedBy(lease.instanceId, lease.createdUpTo))
            this.reclaim.add(id);
        }
        continue;
      }
      if (this.isDead(lease, now)) {
        dead.push(lease);
        const created = await this.store.findCreatedBy(lease.instanceId, lease.createdUpTo);
        for (const id of [...lease.active, ...created]) candidates.set(id, lease.instanceId);
        this.logger.log(
          `Instance ${lease.instanceId} looks stopped (lease unchanged for ${this.options.leaseMs} ms): ` +
            `checking ${lease.active.length} execution(s) it owned and ${created.length} it created since`,
        );
      }
    }
    for (const id of this.reclaim) candidates.set(id, null);
    // NOTE: listed in this instance's lease before they are claimed: were this instance to die
    // right after a claim, before its next renewal, the others find them in its lease. (Not
    // listed, an execution claimed from a dead instance by one that dies too had no owner left.)
    const unlisted = [...candidates.keys()].filter(
      (id) => !this.reclaim.has(id) && !this.launcher.run(id),
    );
    if (unlisted.length > 0) {
      for (const id of unlisted) this.reclaim.add(id);
      await this.renew();
    }
    let claimed = 0;
    /** Instances taken for dead with a candidate that could not be resolved this time. */
    const unresolved = new Set<string>();
    for (const [id, from] of candidates) {
      if (this.stopped) return claimed;
      if (this.launcher.run(id)) {
        this.reclaim.delete(id);
        continue;
      }
      try {
        const result = await this.launcher.claim(id, {
          reason: 'recovered: its owner stopped',
          check: (fold) => this.refusal(fold, now),
        });
        if (result.status === 'claimed') claimed++;
        else
          this.logger.debug(
            `Not claiming ${id}: ${result.status === 'lost' ? 'another instance claimed it first' : result.reason}`,
          );
        // NOTE: a run let go of at once (its lease went stale during the claim) is back in
        // `reclaim` and stays there, to be claimed again.
        if (result.status !== 'claimed' || this.launcher.run(id)) this.reclaim.delete(id);
      } catch (error) {
        if (from !== null) unresolved.add(from);
        this.logger.error(`Cannot claim execution ${id}: ${(error as Error).message}`);
      }
    }
    // NOTE: a dead instance's lease is what lists its executions: it goes only once every one of
    // them was claimed here, has ended, or has a live owner, and this instance's own lease lists
    // what it claimed.
    const done = dead.filter((lease) => !unresolved.has(lease.instanceId));
    if (done.length > 0) {
      await this.renew();
      for (const lease of done) await this.store.deleteLease(lease.instanceId, lease.incarnation);
    }
    if (claimed > 0) this.logger.log(`Recovery: claimed ${claimed} execution(s)`);
    return claimed;
  }

  /** Why not to claim an execution whose stored state is `fold`, or undefined to claim it. */
  private refusal(fold: ExecutionFold, now: number): string | undefined {
    if (fold.ended) return 'it has ended';
    const owner = fold.record!.owner;
    if (owner === null || owner === this.identity.instanceId) return undefined;
    const sighting = this.seen.get(owner);
    if (sighting && now - sighting.changedAt < sighting.leaseMs) return `${owner} is alive`;
    return undefined;
  }

  /** Whether another instance's lease has not changed for `leaseMs` on this process's clock. */
  private isDead(lease: InstanceLease, now: number): boolean {
    const sighting = this.seen.get(lease.instanceId);
    if (!sighting || sighting.beat !== lease.beat || sighting.incarnation !== lease.incarnation) {
      // NOTE: a lease seen for the first time counts from now, unless its own clock says it is
      // far older than the lease (a cluster restarted after a long stop).
      const old = Date.now() - lease.renewedAt.getTime() > 2 * this.options.leaseMs;
      const changedAt = !sighting && old ? now - this.options.leaseMs : now;
      this.seen.set(lease.instanceId, {
        incarnation: lease.incarnation,
        beat: lease.beat,
        changedAt,
        leaseMs: lease.leaseMs ?? this.options.leaseMs,
      });
      return !sighting && old;
    }
    return now - sighting.changedAt >= sighting.leaseMs;
  }
}
