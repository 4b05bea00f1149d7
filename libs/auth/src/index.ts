export * from './auth-failure-limiter';
export * from './auth.decorators';
export * from './authenticate-early';
export * from './bearer-auth.guard';
export * from './bearer-authentication';
export * from './principal';
export * from './permissions';
