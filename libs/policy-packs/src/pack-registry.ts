/**
 * The packs in force, each compiled once, found by the authority a case event names
 * (DESIGN.md: "authority — which policy pack and tenant"). One authority has one pack in force.
 */
import { compilePack, type CompiledPack, type PolicyPack } from '@cto/domain';

/** Two packs in force both list one authority: which of them decides would be a guess. */
export class AuthorityClaimedTwice extends Error {
  readonly code = 'AUTHORITY_CLAIMED_TWICE';
  override readonly name = 'AuthorityClaimedTwice';
  constructor(
    readonly authority: string,
    readonly packIds: readonly [string, string],
  ) {
    super(
      `authority ${authority} is claimed by two policy packs, ${packIds[0]} and ${packIds[1]}: an authority has one pack in force, so remove it from the authorities of one of them`,
    );
  }
}

/** Two packs in force share an id, so decisions (which record the pack id) could not tell them apart. */
export class PackIdUsedTwice extends Error {
  readonly code = 'PACK_ID_USED_TWICE';
  override readonly name = 'PackIdUsedTwice';
  constructor(
    readonly packId: string,
    readonly versions: readonly [string, string],
  ) {
    super(`two policy packs in force have the id ${packId} (versions ${versions[0]} and ${versions[1]}): keep one version of a pack in force`);
  }
}

export class PackRegistry {
  private readonly byAuthority = new Map<string, CompiledPack>();
  private readonly byId = new Map<string, CompiledPack>();
  private readonly inForce: readonly PolicyPack[];

  /** Throws `AuthorityClaimedTwice` or `PackIdUsedTwice`; the packs are assumed valid (see loadPolicyPacks). */
  constructor(packs: readonly PolicyPack[]) {
    for (const pack of packs) {
      const same = this.byId.get(pack.id);
      if (same) throw new PackIdUsedTwice(pack.id, [same.pack.version, pack.version]);
      const compiled = compilePack(pack);
      this.byId.set(pack.id, compiled);
      for (const authority of pack.authorities) {
        const other = this.byAuthority.get(authority);
        if (other && other !== compiled) throw new AuthorityClaimedTwice(authority, [other.pack.id, pack.id]);
        this.byAuthority.set(authority, compiled);
      }
    }
    this.inForce = [...packs];
  }

  /** The compiled pack in force for an authority; undefined when none is. */
  forAuthority(authority: string): CompiledPack | undefined {
    return this.byAuthority.get(authority);
  }

  /** The compiled pack with this id; undefined when none is in force. */
  get(packId: string): CompiledPack | undefined {
    return this.byId.get(packId);
  }

  /** Every authority some pack is in force for, sorted. */
  authorities(): string[] {
    return [...this.byAuthority.keys()].sort();
  }

  /** The packs in force, in the order given. */
  packs(): PolicyPack[] {
    return [...this.inForce];
  }
}
