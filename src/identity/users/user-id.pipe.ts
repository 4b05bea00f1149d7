import { Injectable, MethodNotAllowedException, PipeTransform } from '@nestjs/common';
import { IntParamPipe } from '@app/common';

/**
 * `/core/users/{id}/` for PUT, PATCH and DELETE. The router would hand `me` to these handlers;
 * in authentik `me/` is its own route that only answers GET, so anything else there is 405.
 */
@Injectable()
export class UserIdPipe implements PipeTransform<string, number> {
  private readonly integer = new IntParamPipe();

  transform(value: string): number {
    if (value === 'me') throw new MethodNotAllowedException();
    return this.integer.transform(value);
  }
}
