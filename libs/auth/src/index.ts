export * from './auth.decorators';
export * from './bearer-auth.guard';
export * from './principal';
