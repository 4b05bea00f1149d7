import { EventMatcherPolicy } from './entities/event-matcher-policy.entity';
import { PolicyBindingModel } from './entities/policy-binding-model.entity';
import { PolicyBinding } from './entities/policy-binding.entity';

/** The tables of the policies feature, for the database module's entity list. */
export const POLICY_ENTITIES = [EventMatcherPolicy, PolicyBindingModel, PolicyBinding];
