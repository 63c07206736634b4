/**
 * The REST API (API Gateway v1, which LocalStack's community edition serves). The trigger API's
 * two hot paths go to the dispatcher; everything else under /api/v2 goes to the management
 * function, whose router answers 404s in Auth0's error shape. GET and HEAD under /dashboard go to
 * the dashboard function.
 */
import { Duration } from 'aws-cdk-lib';
import {
  EndpointType,
  type IResource,
  LambdaIntegration,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
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
}

/** The dispatcher's routes: `POST /api/v2/actions/triggers/{triggerId}/<op>`. */
export const DISPATCHER_OPERATIONS = ['execute', 'continue'] as const;

export class HookchainApi extends Construct {
  readonly restApi: RestApi;

  constructor(scope: Construct, id: string, props: HookchainApiProps) {
    super(scope, id);
    this.restApi = new RestApi(this, 'Api', {
      restApiName: props.restApiName,
      description: 'Hookchain: management API (Auth0 Management API v2, actions) and trigger API',
      endpointTypes: [EndpointType.REGIONAL],
      // No account-wide API Gateway logging role: the functions log every request themselves.
      cloudWatchRole: false,
      deployOptions: {
        stageName: props.stageName,
        throttlingRateLimit: props.throttleRateLimit ?? 1000,
        throttlingBurstLimit: props.throttleBurstLimit ?? 2000,
      },
      // The dashboard's gzip and font answers are base64 from the function: every type is binary, so
      // API Gateway sends them as bytes. Request bodies then arrive base64-encoded too, which the
      // API functions' router decodes (functions/http/router.ts); the local front does the same.
      binaryMediaTypes: [...BINARY_MEDIA_TYPES],
    });

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
        timeout: Duration.seconds(29),
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
