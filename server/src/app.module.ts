import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { AnswerCache } from './answers/answer-cache.js';
import { SharedAnswerInterceptor } from './answers/shared-answer.interceptor.js';
import { TerminusModule } from '@nestjs/terminus';
import { RollupReconciler } from './rollup/reconcile.js';
import { RollupQueue } from './rollup/rollup.queue.js';
import { RollupRepository } from './rollup/rollup.repository.js';
import { RollupService } from './rollup/rollup.service.js';
import { RollupWorker } from './rollup/rollup.worker.js';
import { ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import { AlertsController } from './alerts/alerts.controller.js';
import { AuditController } from './audit/audit.controller.js';
import { AuditRepository } from './audit/audit.repository.js';
import { AuditService } from './audit/audit.service.js';
import { AlertsRepository } from './alerts/alerts.repository.js';
import { AlertsService } from './alerts/alerts.service.js';
import { AuthController } from './auth/auth.controller.js';
import { AuthGuard } from './auth/auth.guard.js';
import { HttpThrottlerGuard, rateLimitMessage } from './auth/throttle.guard.js';
import { APP_CONFIG, type AppConfig } from './config/config.js';
import { HealthController } from './health/health.controller.js';
import { LiveGateway } from './live/live.gateway.js';
import { LiveService } from './live/live.service.js';
import { Metrics } from './metrics/metrics.js';
import { MetricsServer } from './metrics/metrics.server.js';
import { MeasuresController } from './measures/measures.controller.js';
import { MeasuresRepository } from './rollup/measures.repository.js';
import { DisclosureService } from './disclosure/disclosure.service.js';
import { MeasuresService } from './measures/measures.service.js';
import { OpenDataController } from './open-data/open-data.controller.js';
import { OpenDataService } from './open-data/open-data.service.js';
import { BoundariesService } from './reference/boundaries.service.js';
import { ReferenceController } from './reference/reference.controller.js';
import { SchoolsRepository } from './reference/schools.repository.js';
import { SchoolsService } from './reference/schools.service.js';
import { StatusController } from './status/status.controller.js';
import { StatusService } from './status/status.service.js';
import { MarksRepository } from './submission/marks.repository.js';
import { RegisterRepository } from './submission/register.repository.js';
import { SubmissionController } from './submission/submission.controller.js';
import { SubmissionService } from './submission/submission.service.js';
import { InspectionController } from './inspection/inspection.controller.js';
import { InspectionService } from './inspection/inspection.service.js';
import { ProgrammesController } from './programmes/programmes.controller.js';
import { ProgrammesRepository } from './programmes/programmes.repository.js';
import { ProgrammesService } from './programmes/programmes.service.js';
import { PupilsController } from './pupils/pupils.controller.js';
import { PupilsRepository } from './pupils/pupils.repository.js';
import { PupilsService } from './pupils/pupils.service.js';
import { SchoolComparisonController } from './schools/school-comparison.controller.js';
import { SchoolComparisonService } from './schools/school-comparison.service.js';
import { SchoolProfilesRepository } from './schools/school-profiles.repository.js';
import { TrustController } from './schools/trust.controller.js';
import { TrustService } from './schools/trust.service.js';
import { WarehouseModule } from './warehouse/warehouse.module.js';
import { WorkspaceController } from './workspace/workspace.controller.js';
import { WorkspaceRepository } from './workspace/workspace.repository.js';
import { WorkspaceService } from './workspace/workspace.service.js';

/** Structured logs: one JSON object a line, each request with its id and duration; tokens and cookies never logged. */
function jsonLogs(config: AppConfig): DynamicModule {
  return LoggerModule.forRoot({
    pinoHttp: {
      level: config.env === 'production' ? 'info' : 'debug',
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    },
  });
}

/** The roll-up pipeline: the queue it is fed through, the job, and (when WORKER=on) the worker that runs it. */
@Module({
  providers: [RollupQueue, RollupRepository, RollupService, RollupReconciler, RollupWorker],
  exports: [RollupQueue, RollupService, RollupWorker],
})
export class RollupModule {}

/** The typed configuration, read once from the environment, for every provider of the process to inject. */
function configModule(config: AppConfig): DynamicModule {
  return {
    module: class ConfigModule {},
    global: true,
    providers: [{ provide: APP_CONFIG, useValue: config }],
    exports: [APP_CONFIG],
  };
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        configModule(config),
        WarehouseModule,
        RollupModule,
        TerminusModule,
        ...(config.logFormat === 'json' ? [jsonLogs(config)] : []),
        // One budget per token (or address) across all routes: HttpThrottlerGuard.
        ThrottlerModule.forRoot({
          throttlers: [{ ttl: 60_000, limit: config.rateLimitPerMinute }],
          errorMessage: rateLimitMessage,
        }),
      ],
      controllers: [
        AuthController,
        AlertsController,
        ReferenceController,
        SubmissionController,
        MeasuresController,
        OpenDataController,
        WorkspaceController,
        SchoolComparisonController,
        TrustController,
        PupilsController,
        InspectionController,
        ProgrammesController,
        AuditController,
        StatusController,
        HealthController,
      ],
      providers: [
        // In this order: the rate limit counts requests whose token the AuthGuard then refuses.
        { provide: APP_GUARD, useClass: HttpThrottlerGuard },
        { provide: APP_GUARD, useClass: AuthGuard },
        // After the guards: a shared answer is given only to a viewer the route admits, of the class it was computed for.
        { provide: APP_INTERCEPTOR, useClass: SharedAnswerInterceptor },
        AnswerCache,
        AuditRepository,
        AuditService,
        Metrics,
        MetricsServer,
        SchoolsRepository,
        SchoolsService,
        BoundariesService,
        MarksRepository,
        RegisterRepository,
        SubmissionService,
        MeasuresRepository,
        DisclosureService,
        MeasuresService,
        OpenDataService,
        WorkspaceRepository,
        WorkspaceService,
        SchoolProfilesRepository,
        SchoolComparisonService,
        TrustService,
        AlertsRepository,
        AlertsService,
        InspectionService,
        ProgrammesRepository,
        ProgrammesService,
        PupilsRepository,
        PupilsService,
        LiveGateway,
        LiveService,
        StatusService,
      ],
    };
  }
}

/** A worker process on its own (with a ClickHouse server; chDB allows one process per data directory). */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: WorkerModule, imports: [configModule(config), WarehouseModule, RollupModule] };
  }
}
