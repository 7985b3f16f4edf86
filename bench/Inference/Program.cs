Console.WriteLine("not yet implemented: see the issue tracker");
