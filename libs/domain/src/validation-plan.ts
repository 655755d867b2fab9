import { getMetadataStorage, ValidationTypes, type ValidationArguments } from 'class-validator';
import { rulesGeneration } from './validation-metadata-cache';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * A quick "is this value valid?" for the ledger's schema classes, answered from
 * class-validator's own rules and constraint functions, without building an instance
 * (class-transformer) or an error tree (class-validator). On an import line or a write
 * those two were most of the validation's cost, and validation was a third of the work.
 *
 * The answer is only ever used one way: `true` means class-validator, run with the
 * ledger's options (VALIDATOR_OPTIONS) on `plainToInstance(schema, value)`, reports no
 * error; `false` means "ask class-validator", which then gives the reasons (or finds
 * none). So a plan may be stricter than the library, never looser. Anything outside
 * the shapes the ledger's schemas use (groups, async rules, @Transform/@Expose, property
 * initializers, discriminators, non-JSON values…) is not planned, or answers `false`.
 *
 * Plans are built on first use and dropped when a rule is added to any class.
 */
export type Plan = (value: Record<string, unknown>) => boolean;

type Condition = (object: object, value: unknown) => boolean;
interface RuleCheck {
  each: boolean;
  validateIf?: Condition;
  validate: (value: unknown, args: ValidationArguments) => unknown;
  constraints: unknown[];
}
interface PropertyPlan {
  name: string;
  conditions: Condition[];
  rules: RuleCheck[];
  /** For @ValidateNested: the plan of the class its objects become, or 'untyped' (no @Type). */
  nested: Plan | 'untyped' | undefined;
}

const storage = getMetadataStorage() as any;
// class-transformer keeps @Type, @Expose, @Exclude and @Transform here; its index does not export it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const transformerStorage = (require('class-transformer/cjs/storage') as { defaultMetadataStorage: any }).defaultMetadataStorage;
const NOT_PLANNED = Symbol('not planned');
let plans = new Map<Function, Plan | typeof NOT_PLANNED>();
let plannedAt = -1;

/** The plan for a schema class, or undefined when its rules fall outside what plans cover. */
export function planFor(schema: Function): Plan | undefined {
  const generation = rulesGeneration();
  if (generation === undefined) return undefined; // rule changes are not being watched
  if (generation !== plannedAt) {
    plans = new Map();
    plannedAt = generation;
  }
  let plan = plans.get(schema);
  if (plan === undefined) {
    plan = compile(schema, undefined, new Map()) ?? NOT_PLANNED;
    plans.set(schema, plan);
  }
  return plan === NOT_PLANNED ? undefined : plan;
}

/**
 * Whether a value passes its schema's plan: a plain object (what JSON.parse makes) that a
 * plan finds valid. `false` means "ask class-validator", never "invalid".
 */
export function passesPlan(schema: Function, value: unknown): value is Record<string, unknown> {
  return plainObject(value) && planFor(schema)?.(value) === true;
}

function compile(schema: Function, schemaName: string | undefined, building: Map<Function, Plan>): Plan | undefined {
  const known = building.get(schema);
  if (known) return known; // a class nested in itself: the plan being built
  if (!plainInstance(schema) || classTransformerChanges(schema)) return undefined;
  const metadatas: any[] = storage.getTargetValidationMetadatas(schema, schemaName, false, false, undefined);
  // forbidUnknownValues: a class with no rules at all is an error.
  if (metadatas.length === 0) return () => false;
  const grouped: Record<string, any[]> = storage.groupByPropertyName(metadatas);
  const properties: PropertyPlan[] = [];
  let self: Plan = () => false;
  building.set(schema, (value) => self(value));
  for (const [name, rules] of Object.entries(grouped)) {
    // class-transformer never copies such a key onto an instance.
    if (name in Object.prototype || name in schema.prototype) return undefined;
    const property = compileProperty(schema, name, rules, building);
    if (!property) return undefined;
    properties.push(property);
  }
  const allowed = new Set(properties.map((p) => p.name));
  const targetName = schema.name;
  self = (object) => {
    for (const key of Object.keys(object)) if (!allowed.has(key)) return false; // forbidNonWhitelisted
    for (const property of properties) if (!propertyHolds(property, object, targetName)) return false;
    return true;
  };
  return self;
}

function compileProperty(schema: Function, name: string, metadatas: any[], building: Map<Function, Plan>): PropertyPlan | undefined {
  const plan: PropertyPlan = { name, conditions: [], rules: [], nested: undefined };
  for (const metadata of metadatas) {
    switch (metadata.type) {
      case ValidationTypes.WHITELIST:
        break;
      case ValidationTypes.CONDITIONAL_VALIDATION:
        plan.conditions.push(metadata.constraints[0]);
        break;
      case ValidationTypes.IS_DEFINED:
      case ValidationTypes.CUSTOM_VALIDATION:
        for (const constraint of storage.getTargetValidatorConstraints(metadata.constraintCls)) {
          if (constraint.async) continue; // validateSync skips async rules
          const instance = constraint.instance;
          plan.rules.push({
            each: Boolean(metadata.each),
            validateIf: metadata.validateIf,
            validate: (value, args) => instance.validate(value, args),
            constraints: metadata.constraints,
          });
        }
        break;
      case ValidationTypes.NESTED_VALIDATION: {
        // class-validator names the nested schema after the class that declared the rule.
        const nested = nestedPlan(schema, name, metadata.target.name, building);
        if (!nested) return undefined;
        plan.nested = nested;
        break;
      }
      default:
        return undefined; // promise validation, or a type this plan does not know
    }
  }
  return plan;
}

/** What a nested value is checked against: the class @Type makes of it. */
function nestedPlan(schema: Function, name: string, declaredOn: string, building: Map<Function, Plan>): Plan | 'untyped' | undefined {
  const type = transformerStorage.findTypeMetadata(schema, name) as any;
  if (!type) return 'untyped'; // class-transformer copies it as a plain object: "an unknown value"
  if (type.options?.discriminator || typeof type.typeFunction !== 'function' || type.typeFunction.length > 0) return undefined;
  if (type.reflectedType === Set || type.reflectedType === Map) return undefined;
  const target = type.typeFunction();
  if (typeof target !== 'function' || [String, Number, Boolean, Date, Map, Set, Array, Object, Buffer].includes(target)) return undefined;
  return compile(target, declaredOn, building);
}

function propertyHolds(property: PropertyPlan, object: Record<string, unknown>, targetName: string): boolean {
  const value = object[property.name];
  if (!copiedAsIs(value)) return false;
  for (const condition of property.conditions) if (!condition(object, value)) return true; // @IsOptional, @ValidateIf
  for (const rule of property.rules) {
    if (rule.validateIf && !rule.validateIf(object, value)) continue;
    const args: ValidationArguments = { targetName, property: property.name, object, value, constraints: rule.constraints };
    if (rule.each && Array.isArray(value)) {
      for (const item of value) if (rule.validate(item, args) !== true) return false;
    } else if (rule.validate(value, args) !== true) {
      return false;
    }
  }
  return property.nested === undefined || nestedHolds(property.nested, value);
}

/** As class-validator walks a nested value: arrays item by item, objects by their class's plan. */
function nestedHolds(plan: Plan | 'untyped', value: unknown): boolean {
  if (value === undefined) return true;
  if (Array.isArray(value)) return value.every((item) => nestedHolds(plan, item));
  return plan !== 'untyped' && plainObject(value) && plan(value);
}

/** A class whose fresh instance has own properties (initializers) would validate with them. */
function plainInstance(schema: Function): boolean {
  try {
    return Object.keys(new (schema as new () => object)()).length === 0;
  } catch {
    return false;
  }
}

/** @Expose, @Exclude and @Transform change what class-transformer hands to the validator. */
function classTransformerChanges(schema: Function): boolean {
  const meta = transformerStorage;
  if (meta.getExposedMetadatas(schema).length || meta.getExcludedMetadatas(schema).length) return true;
  const transforms: Map<Function, Map<string, unknown[]>> = meta._transformMetadatas;
  for (const [target, byProperty] of transforms) {
    if ((target === schema || schema.prototype instanceof target) && byProperty.size) return true;
  }
  return false;
}

function plainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * Whether class-transformer's copy of a value equals the value: true for what JSON.parse
 * produces, except objects with keys it skips (`constructor`, `__proto__`, `toString`…),
 * which a rule could then see differently.
 */
function copiedAsIs(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!(i in value) || !copiedAsIs(value[i])) return false; // a hole is not copied
    return true;
  }
  if (!plainObject(value)) return false;
  for (const key in value) if (key in Object.prototype || !copiedAsIs(value[key])) return false;
  return true;
}
