/*
 * Wharf starts its helper processes (mount, runc, conmon, the CNI plugins…) with posix_spawn,
 * which glibc implements with CLONE_VM|CLONE_VFORK: the engine's page tables are not copied,
 * so starting a process costs the same whatever the engine's size; it runs on a pool thread,
 * so the event loop is not held while the child execs. The child gets default signal
 * dispositions and an empty signal mask (Node ignores SIGPIPE), and only the descriptors it is
 * given.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <node_api.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHECK(env, call)                                                 \
  do {                                                                   \
    if ((call) != napi_ok) {                                             \
      napi_throw_error((env), NULL, "posix_spawn: bad argument");        \
      return NULL;                                                       \
    }                                                                    \
  } while (0)

static napi_value errno_error(napi_env env, int err, const char *what) {
  napi_value code, msg, error, errnum;
  napi_create_string_utf8(env, strerrorname_np(err) ? strerrorname_np(err) : "EUNKNOWN", NAPI_AUTO_LENGTH, &code);
  napi_create_string_utf8(env, what, NAPI_AUTO_LENGTH, &msg);
  napi_create_error(env, code, msg, &error);
  napi_create_int32(env, -err, &errnum);
  napi_set_named_property(env, error, "errno", errnum);
  return error;
}

static napi_value throw_errno(napi_env env, int err, const char *what) {
  napi_throw(env, errno_error(env, err, what));
  return NULL;
}

/* A JS string as a malloc'd C string; NULL on failure (the caller throws). */
static char *string_of(napi_env env, napi_value v) {
  size_t len;
  if (napi_get_value_string_utf8(env, v, NULL, 0, &len) != napi_ok) return NULL;
  char *s = malloc(len + 1);
  if (s && napi_get_value_string_utf8(env, v, s, len + 1, &len) != napi_ok) { free(s); return NULL; }
  return s;
}

/* A JS array of strings as a NULL-terminated vector; NULL on failure. */
static char **vector_of(napi_env env, napi_value arr) {
  uint32_t n;
  if (napi_get_array_length(env, arr, &n) != napi_ok) return NULL;
  char **v = calloc(n + 1, sizeof(char *));
  for (uint32_t i = 0; v && i < n; i++) {
    napi_value e;
    if (napi_get_element(env, arr, i, &e) != napi_ok || !(v[i] = string_of(env, e))) {
      for (uint32_t j = 0; j < i; j++) free(v[j]);
      free(v);
      return NULL;
    }
  }
  return v;
}

static void free_vector(char **v) {
  if (!v) return;
  for (char **p = v; *p; p++) free(*p);
  free(v);
}

/* One spawn's arguments, copied off the JS heap so a pool thread can run it. */
struct request {
  char *file, *cwd, **argv, **envp;
  int *fds;
  uint32_t nfds;
  bool setsid;
  pid_t pid;
  int err;
  napi_deferred deferred;
  napi_async_work work;
};

static void free_request(struct request *r) {
  free(r->file);
  free(r->cwd);
  free_vector(r->argv);
  free_vector(r->envp);
  free(r->fds);
  free(r);
}

/* On a pool thread: glibc's posix_spawn suspends only the calling thread until the child has
 * exec'd, so the event loop never waits for a process to start. */
static void Execute(napi_env env, void *data) {
  (void)env;
  struct request *r = data;
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attr);
  for (uint32_t i = 0; i < r->nfds; i++) {
    if (r->fds[i] >= 0) posix_spawn_file_actions_adddup2(&actions, r->fds[i], (int)i);
    else posix_spawn_file_actions_addopen(&actions, (int)i, "/dev/null", O_RDWR, 0);
  }
  /* Only the descriptors given: a stray one without close-on-exec (or one another spawn is
   * opening at this moment) stays with the engine. */
  posix_spawn_file_actions_addclosefrom_np(&actions, (int)r->nfds);
  if (r->cwd) posix_spawn_file_actions_addchdir_np(&actions, r->cwd);
  sigset_t all, none;
  sigfillset(&all);
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | (r->setsid ? POSIX_SPAWN_SETSID : 0));
  r->err = posix_spawn(&r->pid, r->file, &actions, &attr, r->argv, r->envp);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
}

static void Complete(napi_env env, napi_status status, void *data) {
  struct request *r = data;
  napi_value value;
  if (status != napi_ok) {
    napi_reject_deferred(env, r->deferred, errno_error(env, ECANCELED, "posix_spawn"));
  } else if (r->err) {
    napi_reject_deferred(env, r->deferred, errno_error(env, r->err, "posix_spawn"));
  } else {
    napi_create_int32(env, r->pid, &value);
    napi_resolve_deferred(env, r->deferred, value);
  }
  napi_delete_async_work(env, r->work);
  free_request(r);
}

/* spawn(file, argv, envp, cwd | null, fds, setsid) -> Promise<pid> */
static napi_value Spawn(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value args[6];
  CHECK(env, napi_get_cb_info(env, info, &argc, args, NULL, NULL));
  if (argc < 6) { napi_throw_type_error(env, NULL, "posix_spawn: six arguments"); return NULL; }
  napi_valuetype cwd_type;
  CHECK(env, napi_typeof(env, args[3], &cwd_type));
  struct request *r = calloc(1, sizeof *r);
  if (!r) { napi_throw_error(env, NULL, "posix_spawn: out of memory"); return NULL; }
  bool ok = napi_get_array_length(env, args[4], &r->nfds) == napi_ok && napi_get_value_bool(env, args[5], &r->setsid) == napi_ok;
  r->file = string_of(env, args[0]);
  r->argv = vector_of(env, args[1]);
  r->envp = vector_of(env, args[2]);
  r->cwd = cwd_type == napi_string ? string_of(env, args[3]) : NULL;
  r->fds = calloc(r->nfds + 1, sizeof(int));
  ok = ok && r->file && r->argv && r->envp && r->fds && (cwd_type != napi_string || r->cwd);
  for (uint32_t i = 0; ok && i < r->nfds; i++) {
    napi_value e;
    ok = napi_get_element(env, args[4], i, &e) == napi_ok && napi_get_value_int32(env, e, &r->fds[i]) == napi_ok;
  }
  napi_value promise, name;
  if (!ok || napi_create_promise(env, &r->deferred, &promise) != napi_ok) {
    free_request(r);
    napi_throw_error(env, NULL, "posix_spawn: out of memory or bad argument");
    return NULL;
  }
  napi_create_string_utf8(env, "wharf:posix_spawn", NAPI_AUTO_LENGTH, &name);
  if (napi_create_async_work(env, NULL, name, Execute, Complete, r, &r->work) != napi_ok || napi_queue_async_work(env, r->work) != napi_ok) {
    napi_reject_deferred(env, r->deferred, errno_error(env, EAGAIN, "posix_spawn"));
    free_request(r);
  }
  return promise;
}

/* pipe() -> [read, write], both close-on-exec */
static napi_value Pipe(napi_env env, napi_callback_info info) {
  (void)info;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return throw_errno(env, errno, "pipe2");
  napi_value arr, r, w;
  napi_create_array_with_length(env, 2, &arr);
  napi_create_int32(env, fds[0], &r);
  napi_create_int32(env, fds[1], &w);
  napi_set_element(env, arr, 0, r);
  napi_set_element(env, arr, 1, w);
  return arr;
}

/* reap(pid) -> null while it runs, else { code, signal } */
static napi_value Reap(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value arg;
  int32_t pid;
  CHECK(env, napi_get_cb_info(env, info, &argc, &arg, NULL, NULL));
  CHECK(env, napi_get_value_int32(env, arg, &pid));
  int status;
  pid_t r;
  do r = waitpid(pid, &status, WNOHANG); while (r < 0 && errno == EINTR);
  napi_value out, code, sig, nul;
  napi_get_null(env, &nul);
  if (r == 0) return nul;
  if (r < 0) return throw_errno(env, errno, "waitpid");
  napi_create_object(env, &out);
  if (WIFEXITED(status)) napi_create_int32(env, WEXITSTATUS(status), &code); else code = nul;
  if (WIFSIGNALED(status)) napi_create_int32(env, WTERMSIG(status), &sig); else sig = nul;
  napi_set_named_property(env, out, "code", code);
  napi_set_named_property(env, out, "signal", sig);
  return out;
}

static napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
    { "spawn", NULL, Spawn, NULL, NULL, NULL, napi_default, NULL },
    { "pipe", NULL, Pipe, NULL, NULL, NULL, napi_default, NULL },
    { "reap", NULL, Reap, NULL, NULL, NULL, napi_default, NULL },
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
