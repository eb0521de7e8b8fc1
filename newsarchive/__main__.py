from newsarchive.cli import main

# Guarded: a worker process started by "spawn" imports this module again (as __mp_main__).
if __name__ == "__main__":
    main()
