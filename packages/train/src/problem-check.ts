import type { Shape } from '@gankit/layers';
import type { NetworkDef } from '@gankit/models';
import type { GanProblem, ScheduleEntry, ValueDef } from './problem.js';
import type { LossTerm } from './terms.js';

/**
 * Checks a problem before any tensor is made, naming what is wrong: values that read missing values or networks,
 * cycles, terms that name a missing group, value or network, schedules of unknown groups, groups without terms,
 * and networks whose input shape does not fit what they are fed (in every phase, with the phase's data shapes).
 */
export function validateProblem(problem: GanProblem): void {
  const errors: string[] = [];
  const where = `problem ${problem.name}`;
  const groups = Object.keys(problem.groups);
  const values = Object.keys(problem.values);
  const networks = Object.keys(problem.networks);
  const known = (kind: string, name: string, list: string[], context: string) => {
    if (!list.includes(name))
      errors.push(
        `${context} names ${kind} '${name}', which the problem does not define (${kind}s: ${list.join(', ') || 'none'})`,
      );
  };
  if (!Number.isInteger(problem.batchSize) || problem.batchSize <= 0)
    errors.push(`batchSize must be a positive integer, got ${problem.batchSize}`);
  if (!Number.isInteger(problem.seed)) errors.push(`seed must be an integer, got ${problem.seed}`);
  for (const [name, slot] of Object.entries(problem.networks))
    known('group', slot.group, groups, `network '${name}'`);
  for (const [name, def] of Object.entries(problem.values)) {
    for (const ref of valueRefs(def)) known('value', ref, values, `value '${name}'`);
    if (def.kind === 'apply') known('network', def.network, networks, `value '${name}'`);
  }
  for (const cycle of cycles(problem.values))
    errors.push(`values depend on themselves: ${cycle.join(' → ')}`);
  const checkTerms = (terms: readonly LossTerm[], context: string) => {
    for (const t of terms) {
      known('group', t.group, groups, `${context}term '${t.name}'`);
      for (const v of t.uses.values ?? []) known('value', v, values, `${context}term '${t.name}'`);
      for (const n of t.uses.networks ?? []) known('network', n, networks, `${context}term '${t.name}'`);
      if (t.every != null && !(Number.isInteger(t.every) && t.every > 0))
        errors.push(`${context}term '${t.name}': every must be a positive integer, got ${t.every}`);
      const namesakes = terms.filter((u) => u.name === t.name);
      if (namesakes.some((u) => u.state != null) && namesakes.length > 1 && namesakes[0] === t)
        errors.push(
          `${context}${namesakes.length} terms are named '${t.name}', and one keeps state (saved under its name): give each its own name`,
        );
    }
  };
  const checkSchedule = (schedule: readonly ScheduleEntry[], terms: readonly LossTerm[], context: string) => {
    if (schedule.length === 0) errors.push(`${context}schedule is empty`);
    for (const e of schedule) {
      known('group', e.group, groups, `${context}schedule`);
      if (!(Number.isInteger(e.times) && e.times > 0))
        errors.push(
          `${context}schedule: ${e.group} must update a positive whole number of times, got ${e.times}`,
        );
      if (groups.includes(e.group) && !terms.some((t) => t.group === e.group))
        errors.push(`${context}schedule updates ${e.group}, but no term trains it`);
    }
  };
  checkTerms(problem.terms, '');
  checkSchedule(problem.schedule, problem.terms, '');
  if (problem.replay) for (const g of problem.replay.in) known('group', g, groups, 'replay');
  for (const [name, s] of Object.entries(problem.scores ?? {}))
    known('value', s.value, values, `score '${name}'`);
  if (problem.sampler) known('network', problem.sampler.network, networks, 'sampler');
  checkShapes(
    problem,
    problem.data,
    Object.fromEntries(networks.map((n) => [n, problem.networks[n]!.def])),
    '',
    errors,
  );

  let defs = Object.fromEntries(networks.map((n) => [n, problem.networks[n]!.def]));
  let phaseValues = problem.values;
  let terms = problem.terms;
  let schedule = problem.schedule;
  (problem.phases ?? []).forEach((phase, i) => {
    const context = `phase '${phase.name}': `;
    const last = i === problem.phases!.length - 1;
    if (phase.steps == null ? !last : !(Number.isInteger(phase.steps) && phase.steps > 0))
      errors.push(
        `${context}steps must be a positive integer${last ? '' : ' (only the last phase may run to the end)'}`,
      );
    if (phase.fade != null && !(phase.fade > 0))
      errors.push(`${context}fade must be a positive number of steps`);
    for (const n of Object.keys(phase.networks ?? {})) known('network', n, networks, context);
    defs = { ...defs, ...phase.networks };
    if (phase.values) {
      phaseValues = { ...phaseValues, ...phase.values };
      const names = Object.keys(phaseValues);
      for (const [name, def] of Object.entries(phase.values)) {
        for (const ref of valueRefs(def)) known('value', ref, names, `${context}value '${name}'`);
        if (def.kind === 'apply') known('network', def.network, networks, `${context}value '${name}'`);
      }
      for (const cycle of cycles(phaseValues))
        errors.push(`${context}values depend on themselves: ${cycle.join(' → ')}`);
    }
    terms = phase.terms ?? terms;
    schedule = phase.schedule ?? schedule;
    if (phase.terms) checkTerms(phase.terms, context);
    if (phase.schedule || phase.terms) checkSchedule(schedule, terms, context);
    checkShapes({ ...problem, values: phaseValues }, phase.data ?? problem.data, defs, context, errors);
  });
  if (errors.length > 0) throw new Error(`${where} is not valid:\n  ${errors.join('\n  ')}`);
}

function valueRefs(def: ValueDef): string[] {
  switch (def.kind) {
    case 'apply':
      return [def.input, ...(def.labels ? [def.labels] : [])];
    case 'present':
    case 'resize':
      return [def.input];
    case 'concat':
      return [...def.inputs];
    default:
      return [];
  }
}

function cycles(values: Readonly<Record<string, ValueDef>>): string[][] {
  const found: string[][] = [];
  const done = new Set<string>();
  const visit = (name: string, path: string[]) => {
    if (path.includes(name)) {
      found.push([...path.slice(path.indexOf(name)), name]);
      return;
    }
    if (done.has(name) || values[name] == null) return;
    for (const ref of valueRefs(values[name]!)) visit(ref, [...path, name]);
    done.add(name);
  };
  for (const name of Object.keys(values)) visit(name, []);
  return found;
}

/**
 * The shape of one example of each value where declarations tell it (data, latents, class ids, packed or joined
 * values); network outputs are not known before the networks are built, and are skipped. Each network's declared
 * input shape must equal the shape of what it is fed.
 */
function checkShapes(
  problem: GanProblem,
  data: Readonly<Record<string, Shape>> | undefined,
  defs: Readonly<Record<string, NetworkDef>>,
  context: string,
  errors: string[],
): void {
  const memo = new Map<string, Shape | undefined>();
  const shapeOf = (name: string, seen: string[] = []): Shape | undefined => {
    if (memo.has(name)) return memo.get(name);
    const def = problem.values[name];
    if (def == null || seen.includes(name)) return undefined;
    let shape: Shape | undefined;
    switch (def.kind) {
      case 'data':
        shape = data?.[def.key];
        break;
      case 'latent':
        shape = [def.dim];
        break;
      case 'classes':
        shape = [];
        break;
      case 'present': {
        const s = shapeOf(def.input, [...seen, name]);
        const pack = problem.pack ?? 1;
        shape = s == null || pack === 1 ? s : [pack * s.reduce((a, b) => a * b, 1)];
        break;
      }
      case 'resize': {
        const s = shapeOf(def.input, [...seen, name]);
        shape = s == null ? undefined : [def.size, def.size, ...s.slice(2)];
        break;
      }
      case 'concat': {
        const parts = def.inputs.map((v) => shapeOf(v, [...seen, name]));
        if (parts.every((p) => p != null) && parts.length > 0) {
          const first = parts[0]!;
          const axis = def.axis == null || def.axis < 0 ? first.length - 1 : def.axis - 1;
          shape = first.map((d, i) => (i === axis ? parts.reduce((sum, p) => sum + p![i]!, 0) : d));
        }
        break;
      }
      default:
        shape = undefined;
    }
    memo.set(name, shape);
    return shape;
  };
  for (const [name, def] of Object.entries(problem.values)) {
    if (def.kind !== 'apply') continue;
    const net = defs[def.network];
    const fed = shapeOf(def.input);
    if (net == null || fed == null) continue;
    if (fed.join(',') !== net.inputShape.join(','))
      errors.push(
        `${context}value '${name}' feeds network '${def.network}' (${net.architecture}, input [${net.inputShape}]) ` +
          `with '${def.input}' of shape [${fed}]: they do not fit`,
      );
  }
}
