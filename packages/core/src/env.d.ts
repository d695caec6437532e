declare module '#register-gradients';
