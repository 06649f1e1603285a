import type { ButtonHTMLAttributes, ReactNode } from 'react';

type Variant = 'primary' | 'default' | 'danger' | 'ghost';

const variants: Record<Variant, string> = {
  primary: 'bg-accent text-accent-fg border-accent hover:brightness-110',
  default: 'bg-panel text-fg border-line hover:bg-raised',
  danger: 'bg-panel text-danger border-danger/60 hover:bg-danger hover:text-white',
  ghost: 'bg-transparent text-fg border-transparent hover:bg-raised',
};

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: Variant;
  size?: 'sm' | 'md';
  busy?: boolean;
  icon?: ReactNode;
}

export function buttonClass(variant: Variant = 'default', size: 'sm' | 'md' = 'md'): string {
  const sizing = size === 'sm' ? 'h-7 px-2 text-xs gap-1' : 'h-9 px-3 text-sm gap-1.5';
  return `inline-flex items-center justify-center rounded-md border font-medium whitespace-nowrap transition-colors disabled:opacity-50 disabled:pointer-events-none ${sizing} ${variants[variant]}`;
}

export function Button({ variant = 'default', size = 'md', busy, icon, className = '', children, disabled, type = 'button', ...rest }: ButtonProps) {
  return (
    <button type={type} className={`${buttonClass(variant, size)} ${className}`} disabled={disabled || busy} aria-busy={busy || undefined} {...rest}>
      {busy ? <Spinner /> : icon}
      {children}
    </button>
  );
}

export function Spinner({ className = '' }: { className?: string }) {
  return <span aria-hidden className={`inline-block size-3.5 animate-spin rounded-full border-2 border-current border-r-transparent ${className}`} />;
}
