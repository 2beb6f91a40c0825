// GraphQL requires a Query root; ours tells a client which gateway and version it is talking to.
import { Field, ObjectType, Query, Resolver } from 'type-graphql';
import packageJson from '../../package.json';

@ObjectType({ description: 'The gateway a client is talking to.' })
export class ServiceInfo {
  @Field((_type) => String)
  name: string;

  @Field((_type) => String, { description: 'The gateway version (semver).' })
  version: string;
}

@Resolver()
export class ServiceInfoResolver {
  @Query((_returns) => ServiceInfo, {
    description: 'Which gateway and version answer; handy to check a connection.',
  })
  serviceInfo(): ServiceInfo {
    return Object.assign(new ServiceInfo(), { name: packageJson.name, version: packageJson.version });
  }
}
