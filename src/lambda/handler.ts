// AWS Lambda entry point (handler `dist/src/lambda/handler.handler`): one handler for API Gateway HTTP API
// (payload 2.0) and ALB events, configured from the function's environment like `npm start`, but never with
// the embedded stand-in. The gateway is built while this module loads, once per execution environment.
import 'reflect-metadata';
import { createLambdaHandler } from './lambda-handler';

export const handler = createLambdaHandler(process.env);
