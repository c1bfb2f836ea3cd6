import { parsePolicyPack } from './load-policy-pack';
import { AuthorityClaimedTwice, PackIdUsedTwice, PackRegistry } from './pack-registry';
import { packYaml } from './test-pack-yaml';

const pack = (id: string, authorities: string[], version = '1.0.0') => parsePolicyPack(packYaml({ id, authorities, version }), `${id}.yaml`);

describe('PackRegistry', () => {
  const kent = pack('kent-transfers', ['kent', 'medway']);
  const surrey = pack('surrey-transfers', ['surrey']);
  const registry = new PackRegistry([kent, surrey]);

  it('finds the compiled pack in force for an authority', () => {
    expect(registry.forAuthority('surrey')?.pack).toBe(surrey);
    expect(registry.forAuthority('kent')?.rulesByEvent.get('ICPCHeld')?.map((r) => r.id)).toEqual(['child-protection-plan-to-fsp']);
  });

  it('compiles a pack once, however many authorities it is in force for', () => {
    expect(registry.forAuthority('kent')).toBe(registry.forAuthority('medway'));
    expect(registry.get('kent-transfers')).toBe(registry.forAuthority('kent'));
  });

  it('has nothing for an authority no pack claims', () => {
    expect(registry.forAuthority('essex')).toBeUndefined();
    expect(registry.get('essex-transfers')).toBeUndefined();
  });

  it('lists the authorities (sorted) and the packs (as given)', () => {
    expect(registry.authorities()).toEqual(['kent', 'medway', 'surrey']);
    expect(registry.packs()).toEqual([kent, surrey]);
  });

  it('refuses two packs claiming one authority, naming both', () => {
    const other = pack('medway-transfers', ['medway']);
    expect(() => new PackRegistry([kent, other])).toThrow(AuthorityClaimedTwice);
    expect(() => new PackRegistry([kent, other])).toThrow(
      expect.objectContaining({
        code: 'AUTHORITY_CLAIMED_TWICE',
        authority: 'medway',
        packIds: ['kent-transfers', 'medway-transfers'],
        message: expect.stringMatching(/^authority medway is claimed by two policy packs, kent-transfers and medway-transfers/),
      }),
    );
  });

  it('refuses two versions of one pack in force at once', () => {
    expect(() => new PackRegistry([kent, pack('kent-transfers', ['essex'], '1.1.0')])).toThrow(
      expect.objectContaining({ code: 'PACK_ID_USED_TWICE', packId: 'kent-transfers', versions: ['1.0.0', '1.1.0'] }),
    );
    expect(() => new PackRegistry([kent, kent])).toThrow(PackIdUsedTwice);
  });

  it('may be empty', () => {
    expect(new PackRegistry([]).authorities()).toEqual([]);
  });
});
