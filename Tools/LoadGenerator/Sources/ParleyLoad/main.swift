print("parley-load")
