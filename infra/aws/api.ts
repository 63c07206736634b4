/**
 * The REST API (API Gateway v1, which LocalStack's community edition serves). The trigger API's
 * two hot paths go to the dispatcher; everything else under /api/v2 goes to the management
 * function, whose router answers 404s in Auth0's error shape. GET and HEAD under /dashboard go to
 * the dashboard function.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  EndpointType,
  type IResource,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { BINARY_MEDIA_TYPES, DASHBOARD_METHODS } from '../../functions/dashboard/static-files.ts';
import { GATEWAY_REQUEST_TOO_LARGE } from '../../functions/http/errors.ts';

export interface HookchainApiProps {
  restApiName: string;
  /** The API Gateway stage: the URL ends in `/<stageName>/`. */
  stageName: string;
  management: IFunction;
  dispatcher: IFunction;
  dashboard: IFunction;
  /** Steady-state requests per second across the API (API Gateway throttling). */
  throttleRateLimit?: number;
  throttleBurstLimit?: number;
  /** Retention of the access and execution log groups. */
  logRetention: RetentionDays;
  /** Keep the log groups when the stack is deleted. */
  retainLogs: boolean;
}

/** API Gateway's integration timeout: the API functions' own timeouts stay below it. */
export const INTEGRATION_TIMEOUT = Duration.seconds(29);

/** The dispatcher's routes: `POST /api/v2/actions/triggers/{triggerId}/<op>`. */
export const DISPATCHER_OPERATIONS = ['execute', 'continue'] as const;

export class HookchainApi extends Construct {
  readonly restApi: RestApi;
  readonly accessLogs: LogGroup;
  readonly executionLogs: LogGroup;

  constructor(scope: Construct, id: string, props: HookchainApiProps) {
    super(scope, id);
    const removalPolicy = props.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    // One JSON line per request, with what the functions cannot see: a 5XX or 504 API Gateway
    // answered itself, the integration's latency, a throttled caller.
    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention, removalPolicy });
    this.restApi = new RestApi(this, 'Api', {
      restApiName: props.restApiName,
      description: 'Hookchain: management API (Auth0 Management API v2, actions) and trigger API',
      endpointTypes: [EndpointType.REGIONAL],
      // API Gateway writes logs only through the account's (per region) CloudWatch role: this sets
      // it, and keeps it when the stack is deleted (other APIs in the account may rely on it).
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: props.stageName,
        throttlingRateLimit: props.throttleRateLimit ?? 1000,
        throttlingBurstLimit: props.throttleBurstLimit ?? 2000,
        accessLogDestination: new LogGroupLogDestination(this.accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields({
          caller: false,
          httpMethod: true,
          ip: true,
          protocol: true,
          requestTime: true,
          resourcePath: true,
          responseLength: true,
          status: true,
          user: false,
        }),
        // Errors only (never request bodies: they carry users' data and secrets).
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
      },
      // The dashboard's gzip and font answers are base64 from the function: every type is binary, so
      // API Gateway sends them as bytes. Request bodies then arrive base64-encoded too, which the
      // API functions' router decodes (functions/http/router.ts); the local front does the same.
      binaryMediaTypes: [...BINARY_MEDIA_TYPES],
    });

    // API Gateway creates the execution log group on first write, without retention: create it first.
    this.executionLogs = new LogGroup(this, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${this.restApi.restApiId}/${props.stageName}`,
      retention: props.logRetention,
      removalPolicy,
    });
    this.restApi.deploymentStage.node.addDependency(this.executionLogs);
    acknowledgeApiFindings(this.restApi);

    // A body over API Gateway's 10 MB never reaches a function: answer it in Auth0's error shape,
    // as the functions answer one over the API's own 1 MB (the local front does the same).
    this.restApi.addGatewayResponse('RequestTooLarge', {
      type: ResponseType.REQUEST_TOO_LARGE,
      statusCode: '413',
      templates: {
        'application/json': JSON.stringify(GATEWAY_REQUEST_TOO_LARGE),
      },
    });

    // One resource-based permission per function for the whole API, not one per method.
    const integration = (fn: IFunction) =>
      new LambdaIntegration(fn, {
        proxy: true,
        scopePermissionToMethod: false,
        timeout: INTEGRATION_TIMEOUT,
      });
    const management = integration(props.management);
    const dispatcher = integration(props.dispatcher);
    const toManagement = (resource: IResource) => resource.addMethod('ANY', management);

    const v2 = this.restApi.root.addResource('api').addResource('v2');
    // API Gateway picks the most specific resource and never falls back to a greedy parent, so
    // every static resource on the way to the dispatcher's routes carries its own catch-all.
    toManagement(v2.addResource('{proxy+}'));
    const actions = v2.addResource('actions');
    toManagement(actions);
    toManagement(actions.addResource('{proxy+}'));
    const triggers = actions.addResource('triggers');
    toManagement(triggers);
    const trigger = triggers.addResource('{triggerId}');
    toManagement(trigger);
    toManagement(trigger.addResource('{proxy+}'));
    for (const operation of DISPATCHER_OPERATIONS) {
      trigger.addResource(operation).addMethod('POST', dispatcher);
    }

    // HEAD too: API Gateway never answers HEAD through a GET method.
    const dashboard = integration(props.dashboard);
    const dashboardRoot = this.restApi.root.addResource('dashboard');
    for (const resource of [dashboardRoot, dashboardRoot.addResource('{proxy+}')]) {
      for (const method of DASHBOARD_METHODS) resource.addMethod(method, dashboard);
    }
  }

  /** `https://<id>.execute-api.<region>.amazonaws.com/<stage>/` */
  get url(): string {
    return this.restApi.url;
  }
}

/** cdk-nag (AwsSolutions) findings that are this API's design, each with why. */
function acknowledgeApiFindings(api: RestApi): void {
  const acknowledge = (id: string, reason: string) => Validations.of(api).acknowledge({ id, reason });
  acknowledge(
    'AwsSolutions-APIG2',
    'Proxy integrations: the functions validate every body (zod) and answer in Auth0’s error shape, which a gateway validator would not.',
  );
  acknowledge(
    'AwsSolutions-APIG4',
    'The functions authorize every request with Auth0-style bearer tokens (tenant tokens, hashed in the table); the dashboard routes serve public static files.',
  );
  acknowledge(
    'AwsSolutions-COG4',
    'Callers are identity services and CLIs holding Hookchain tenant tokens, as with Auth0’s Management API, not Cognito users.',
  );
  acknowledge(
    'AwsSolutions-APIG3',
    'A WAF web ACL is the installer’s choice (and cost); the stage has request throttling, and the functions cap body sizes.',
  );
  acknowledge(
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
    'The account-level API Gateway logging role: AWS’s managed policy for exactly that role, needed for access logs.',
  );
}
