{
  "targets": [
    {
      "target_name": "posix_spawn",
      "sources": ["spawn.c"],
      "cflags": ["-Wall", "-Wextra", "-O2"]
    }
  ]
}
