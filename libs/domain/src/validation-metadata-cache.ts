import { getMetadataStorage } from 'class-validator';

/* eslint-disable @typescript-eslint/no-explicit-any */
const INSTALLED = Symbol.for('ledger.validationMetadataCache');
const GENERATION = Symbol.for('ledger.validationRulesGeneration');
type Storage = Record<string, (...args: any[]) => any> & { [INSTALLED]?: () => void; [GENERATION]?: number };

/**
 * A number that changes whenever a rule is added to any class, while the cache is
 * installed; undefined when it is not (rule changes are then not being watched).
 */
export function rulesGeneration(): number | undefined {
  const storage = getMetadataStorage() as unknown as Storage;
  return storage[INSTALLED] ? storage[GENERATION] : undefined;
}

/**
 * class-validator looks up a class's rules on every validation: it filters every rule it
 * holds and walks every registered class for inheritance, then groups the result by
 * property, for each object and nested object validated. The rules only change when a
 * class is declared, so the answers are kept until a rule is added (which clears them).
 * On a write or an import line this lookup was a fifth of the validation's cost.
 *
 * Installed once per process; `uninstall` (for tests) puts the library's own methods back.
 */
export function cacheValidationMetadata(): { uninstall: () => void } {
  const storage = getMetadataStorage() as unknown as Storage;
  if (storage[INSTALLED]) return { uninstall: storage[INSTALLED] };
  const original = {
    getTargetValidationMetadatas: storage.getTargetValidationMetadatas,
    groupByPropertyName: storage.groupByPropertyName,
    getTargetValidatorConstraints: storage.getTargetValidatorConstraints,
    addValidationMetadata: storage.addValidationMetadata,
    addConstraintMetadata: storage.addConstraintMetadata,
  };
  let lookups = new Map<unknown, Map<string, unknown[]>>();
  let grouped = new WeakMap<object, unknown>();
  let constraints = new Map<unknown, unknown>();
  const clear = () => {
    storage[GENERATION] = (storage[GENERATION] ?? 0) + 1;
    lookups = new Map();
    grouped = new WeakMap();
    constraints = new Map();
  };

  storage.getTargetValidationMetadatas = function (target: unknown, schema: string, always: boolean, strictGroups: boolean, groups?: string[]) {
    const key = `${schema}\u0000${always}\u0000${strictGroups}\u0000${groups?.join('\u0001') ?? ''}`;
    let byKey = lookups.get(target);
    if (!byKey) lookups.set(target, (byKey = new Map()));
    let found = byKey.get(key);
    if (!found) byKey.set(key, (found = original.getTargetValidationMetadatas.call(this, target, schema, always, strictGroups, groups)));
    return found;
  };
  storage.groupByPropertyName = function (metadata: object[]) {
    let found = grouped.get(metadata);
    if (!found) grouped.set(metadata, (found = original.groupByPropertyName.call(this, metadata)));
    return found;
  };
  storage.getTargetValidatorConstraints = function (target: unknown) {
    let found = constraints.get(target);
    if (!found) constraints.set(target, (found = original.getTargetValidatorConstraints.call(this, target)));
    return found;
  };
  storage.addValidationMetadata = function (...args: unknown[]) {
    clear();
    return original.addValidationMetadata.apply(this, args);
  };
  storage.addConstraintMetadata = function (...args: unknown[]) {
    clear();
    return original.addConstraintMetadata.apply(this, args);
  };
  const uninstall = () => {
    // The library's methods live on the prototype: dropping ours uncovers them again.
    for (const name of Object.keys(original)) delete storage[name];
    delete storage[INSTALLED];
  };
  storage[GENERATION] = (storage[GENERATION] ?? 0) + 1; // plans made before are stale
  storage[INSTALLED] = uninstall;
  return { uninstall };
}
