import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventsModule } from '../events';
import { ModelAudit } from '../identity/audit/model-audit';
import { IdentityModule } from '../identity/identity.module';
import { PolicyBindingsController } from './bindings/policy-bindings.controller';
import { PolicyBindingsService } from './bindings/policy-bindings.service';
import { POLICY_ENTITIES } from './entities';
import { EventMatcherController } from './event-matcher/event-matcher.controller';
import { EventMatcherService } from './event-matcher/event-matcher.service';
import { PolicyEvaluator } from './policy-evaluator';
import { PolicyTargets } from './policy-targets';

/**
 * Event-matcher policies and policy bindings (issue 15), the part of authentik's policy engine
 * notification rules use. `PolicyTargets` lets a rule module register its rules as binding
 * targets, and `PolicyEvaluator` decides whether a target's bindings pass for an event
 * (the pure rules are in `engine/`).
 */
@Module({
  imports: [TypeOrmModule.forFeature(POLICY_ENTITIES), EventsModule.forFeature('authentik.policies'), IdentityModule],
  controllers: [EventMatcherController, PolicyBindingsController],
  // ModelAudit records this module's model events through its own EventRecorder.
  providers: [ModelAudit, EventMatcherService, PolicyBindingsService, PolicyTargets, PolicyEvaluator],
  exports: [PolicyTargets, PolicyEvaluator],
})
export class PoliciesModule {}
