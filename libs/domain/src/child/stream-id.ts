/**
 * The one place stream ids are made (STYLE.md "Naming"): `child-<authority>-<childId>`.
 * The authority is part of the id so one authority's child can never be read as another's.
 */
export const childStreamId = (authority: string, childId: string): string => `child-${authority}-${childId}`;
